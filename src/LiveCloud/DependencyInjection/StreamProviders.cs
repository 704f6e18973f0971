using Microsoft.Extensions.DependencyInjection;

namespace LiveCloud;

/// <summary>Every configured provider by name (case-insensitive), and the default one.</summary>
public sealed class StreamProviders
{
    private readonly IServiceProvider _services;
    private readonly Dictionary<string, ProviderRegistration> _registrations;
    private readonly Func<string?> _defaultName;

    internal StreamProviders(IServiceProvider services, IEnumerable<ProviderRegistration> registrations, Func<string?> defaultName)
    {
        _services = services;
        _registrations = new Dictionary<string, ProviderRegistration>(StringComparer.OrdinalIgnoreCase);
        foreach (ProviderRegistration registration in registrations)
        {
            _registrations[registration.Name] = registration;
        }

        _defaultName = defaultName;
    }

    /// <summary>The configured providers' names, as registered.</summary>
    public IReadOnlyList<string> Names => [.. _registrations.Values.Select(r => r.Name).Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The provider <c>LiveCloud:Provider</c> selects.</summary>
    /// <exception cref="LiveCloudConfigurationException">No provider is selected or the selected one is not configured.</exception>
    public IStreamProvider Default => Get(ResolveDefaultName(_defaultName(), Names));

    /// <summary>Every configured provider.</summary>
    public IEnumerable<IStreamProvider> All => Names.Select(Get);

    /// <summary>The provider named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="LiveCloudConfigurationException">No provider of that name is configured; the message lists those that are.</exception>
    public IStreamProvider Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_registrations.TryGetValue(name, out ProviderRegistration? registration))
        {
            throw new LiveCloudConfigurationException(UnknownProviderMessage(name, Names));
        }

        return _services.GetRequiredKeyedService<IStreamProvider>(registration.Name);
    }

    /// <summary>Whether a provider of that name is configured.</summary>
    public bool Contains(string name) => _registrations.ContainsKey(name);

    internal static string ResolveDefaultName(string? selected, IReadOnlyList<string> names)
    {
        if (!string.IsNullOrWhiteSpace(selected))
        {
            return selected;
        }

        return names.Count == 1
            ? names[0]
            : throw new LiveCloudConfigurationException(
                $"{LiveCloudOptions.SectionName}:Provider is not set; set it to one of the configured providers: {Describe(names)}.");
    }

    internal static string UnknownProviderMessage(string name, IReadOnlyList<string> names) =>
        $"{LiveCloudOptions.SectionName}:Provider '{name}' is not a configured provider; configured providers: {Describe(names)}.";

    private static string Describe(IReadOnlyList<string> names) =>
        names.Count == 0 ? "none (add one, e.g. builder.AddNginx(), and its configuration section)" : string.Join(", ", names);
}

/// <summary>One configured provider's name, and type, as registered by <see cref="LiveCloudBuilder.AddProvider{TProvider, TOptions}"/>.</summary>
internal sealed record ProviderRegistration(string Name, string Type);
