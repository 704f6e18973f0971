using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using LiveCloud.Costs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud;

/// <summary>
/// Checks a configuration section against the options type it binds to, before the binder runs: a value the binder
/// cannot convert (<c>CallbackClockSkew: "abc"</c>) would make it throw an <see cref="InvalidOperationException"/>
/// deep inside start-up, and a bad element of a list or dictionary, or a single value where a list or section
/// belongs, would be dropped without a word. Each problem becomes one message naming the full key (and the value,
/// for a value that does not convert: <c>LiveCloud:Tencent:CallbackClockSkew 'abc' is not a time span
/// (hh:mm:ss).</c>), all of them reported at once as an <see cref="OptionsValidationException"/>. A property marked
/// <see cref="RequiredAttribute"/> must have its key. Under a <see cref="PriceOverrides"/> section an unknown key is
/// refused too, so a typo cannot silently leave a list price in place; elsewhere unknown keys are left alone (a
/// section may carry keys for other readers, such as <see cref="LiveCloudBuilder.TypeKey"/>).
/// </summary>
internal static class ConfigurationValues
{
    // Deeper than any options type LiveCloud has; stops a self-referencing type from recursing for ever.
    private const int MaxDepth = 16;
    private const int MaxValueShown = 64;

    /// <summary>
    /// Binds <paramref name="section"/> to the options after checking it: the check runs as a configure step
    /// registered before the bind, so a failure stops start-up (or the first read of the options) with an
    /// <see cref="OptionsValidationException"/> listing every bad key, and the binder never sees a value it cannot convert.
    /// </summary>
    public static OptionsBuilder<TOptions> BindChecked<TOptions>(this OptionsBuilder<TOptions> options, IConfiguration section)
        where TOptions : class
    {
        string name = options.Name;
        return options
            .Configure(_ =>
            {
                var failures = new List<string>();
                Check(section, typeof(TOptions), failures);
                if (failures.Count > 0)
                {
                    throw new OptionsValidationException(name, typeof(TOptions), failures);
                }
            })
            .Bind(section);
    }

    /// <summary>Adds a message per value of <paramref name="section"/> that cannot be bound to <paramref name="type"/>.</summary>
    /// <param name="section">The section (its path names the keys; a root configuration reports keys from its top).</param>
    /// <param name="type">The type the section binds to.</param>
    /// <param name="failures">Where messages go.</param>
    public static void Check(IConfiguration section, Type type, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(failures);
        if (section is IConfigurationSection s)
        {
            CheckNode(s, type, strict: false, depth: 0, failures);
        }
        else
        {
            CheckObject(section, type, strict: false, depth: 0, failures);
        }
    }

    private static void CheckNode(IConfigurationSection node, Type type, bool strict, int depth, ICollection<string> failures)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        strict |= type == typeof(PriceOverrides);
        bool hasChildren = node.GetChildren().Any();
        if (IsValue(type))
        {
            if (hasChildren)
            {
                failures.Add($"{node.Path} is a section; it takes one value ({Expected(Nullable.GetUnderlyingType(type) ?? type)}).");
            }
            else if (node.Value is { } value)
            {
                CheckValue(node, type, value, failures);
            }

            return;
        }

        // A scalar where the type wants keys or a list (the binder would ignore it). JSON null reads as "": leave it.
        if (!hasChildren)
        {
            if (!string.IsNullOrEmpty(node.Value))
            {
                failures.Add($"{node.Path} has a value; it takes {(ElementType(type) is null ? "keys" : "a list or keys")} instead.");
            }

            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (IConfigurationSection child in node.GetChildren())
            {
                CheckNode(child, element, strict, depth + 1, failures);
            }

            return;
        }

        CheckObject(node, type, strict, depth, failures);
    }

    private static void CheckObject(IConfiguration node, Type type, bool strict, int depth, ICollection<string> failures)
    {
        // What the binder sets: public properties with a public setter, and read-only ones it binds into (objects, lists).
        PropertyInfo[] properties = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && (p.SetMethod is { IsPublic: true } || !IsValue(p.PropertyType)))];
        foreach (IConfigurationSection child in node.GetChildren())
        {
            PropertyInfo? property = Array.Find(properties, p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is not null)
            {
                CheckNode(child, property.PropertyType, strict, depth + 1, failures);
            }
            else if (strict)
            {
                failures.Add($"{child.Path} is not a key of {type.Name}; its keys: {string.Join(", ", properties.Select(p => p.Name))}.");
            }
        }

        if (node is IConfigurationSection section)
        {
            foreach (PropertyInfo required in properties.Where(p => p.IsDefined(typeof(RequiredAttribute))))
            {
                IConfigurationSection child = node.GetSection(required.Name);
                if (string.IsNullOrEmpty(child.Value) && !child.GetChildren().Any())
                {
                    failures.Add($"{section.Path}:{required.Name} is required.");
                }
            }
        }
    }

    private static void CheckValue(IConfigurationSection node, Type type, string value, ICollection<string> failures)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        object? converted;
        try
        {
            // The binder's own conversion, so exactly what it accepts passes.
            converted = node.Get(type);
        }
        catch (InvalidOperationException)
        {
            // A URL may carry credentials (user:password@host): it is named, never shown.
            failures.Add(target == typeof(Uri) ? $"{node.Path} is not {Expected(target)}." : $"{node.Path} {Shown(value)} is not {Expected(target)}.");
            return;
        }

        bool bad = converted switch
        {
            double d => !double.IsFinite(d),
            float f => !float.IsFinite(f),
            Enum e => !target.IsDefined(typeof(FlagsAttribute)) && !Enum.IsDefined(target, e),
            _ => false,
        };
        if (bad)
        {
            failures.Add($"{node.Path} {Shown(value)} is not {Expected(target)}.");
        }
    }

    // What the binder converts from one string: what has a TypeConverter from string (numbers, bool, TimeSpan,
    // enums, Uri, dates...), strings, and object (which takes the raw string).
    private static bool IsValue(Type type)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(string) || target == typeof(object) || TypeDescriptor.GetConverter(target).CanConvertFrom(typeof(string));
    }

    // The element type of a list or the value type of a dictionary; null for anything else.
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        Type[] candidates = [type, .. type.GetInterfaces()];
        foreach (Type t in candidates.Where(t => t.IsGenericType))
        {
            Type definition = t.GetGenericTypeDefinition();
            if (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            {
                return t.GetGenericArguments()[1];
            }
        }

        return Array.Find(candidates, t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static string Expected(Type type)
    {
        if (type == typeof(string))
        {
            return "text";
        }

        if (type == typeof(TimeSpan))
        {
            return "a time span (hh:mm:ss)";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return "a finite number";
        }

        if (type == typeof(decimal))
        {
            return "a decimal number (at most 28 digits before the point)";
        }

        if (Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.UInt64)
        {
            return string.Create(CultureInfo.InvariantCulture, $"a whole number from {type.GetField("MinValue")!.GetValue(null)} to {type.GetField("MaxValue")!.GetValue(null)}");
        }

        if (type == typeof(Uri))
        {
            return "a URI";
        }

        if (type == typeof(DateOnly))
        {
            return "a date (yyyy-MM-dd)";
        }

        return type == typeof(DateTimeOffset) || type == typeof(DateTime) ? "a date and time (ISO 8601)" : $"a valid {type.Name}";
    }

    // The value in quotes, cut short and with control characters escaped, so the message stays one readable line.
    private static string Shown(string value)
    {
        string cut = value.Length > MaxValueShown ? value[..MaxValueShown] + "…" : value;
        return "'" + string.Concat(cut.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "'";
    }
}
