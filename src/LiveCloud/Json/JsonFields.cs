using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace LiveCloud.Json;

/// <summary>
/// Reads fields of vendor JSON (API answers and callbacks) the way vendors really send them: numbers sometimes as
/// strings and strings sometimes as numbers, fields missing, and — from anyone who can reach a callback URL — text
/// that is not valid Unicode. A field that is absent or of another kind reads as <see langword="null"/>; text that
/// cannot be decoded throws <see cref="FormatException"/> naming the field, so a caller can answer 400 (or refuse
/// an unverified callback) instead of failing with a 500.
/// </summary>
public static class JsonFields
{
    /// <summary>The deepest nesting <see cref="Parse(string)"/> accepts; vendor payloads are a few levels deep.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Parses <paramref name="json"/> with a small depth limit; a body that is not JSON (or nests deeper than
    /// <see cref="MaxDepth"/>) throws <see cref="JsonException"/>.
    /// </summary>
    /// <param name="json">The text.</param>
    public static JsonDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonDocument.Parse(json, ParseOptions);
    }

    /// <summary>Parses UTF-8 JSON with the same depth limit as <see cref="Parse(string)"/>.</summary>
    /// <param name="utf8Json">The bytes.</param>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json) => JsonDocument.Parse(utf8Json, ParseOptions);

    /// <summary>
    /// The text of a string field, or the literal of a number field; <see langword="null"/> when absent, null, or
    /// an object, array or boolean.
    /// </summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    /// <exception cref="FormatException">The string is not valid Unicode (a lone surrogate, invalid UTF-8).</exception>
    public static string? GetText(this JsonElement element, string name)
    {
        if (!Find(element, name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => Decode(value, name),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>A whole number, sent as a JSON number or a numeric string; <see langword="null"/> when absent, not whole or out of range.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    /// <exception cref="FormatException">The string is not valid Unicode.</exception>
    public static long? GetInt64(this JsonElement element, string name)
    {
        if (!Find(element, name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out long n) ? n : null,
            JsonValueKind.String => long.TryParse(Decode(value, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s) ? s : null,
            _ => null,
        };
    }

    /// <summary>A finite number, sent as a JSON number or a numeric string; <see langword="null"/> when absent, not a number, or not finite.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    /// <exception cref="FormatException">The string is not valid Unicode.</exception>
    public static double? GetDouble(this JsonElement element, string name)
    {
        if (!Find(element, name, out JsonElement value))
        {
            return null;
        }

        double? number = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out double d) ? d : null,
            JsonValueKind.String => double.TryParse(Decode(value, name), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : null,
            _ => null,
        };
        return number is { } x && double.IsFinite(x) ? x : null;
    }

    /// <summary>A boolean field (<c>true</c>/<c>false</c>, or the strings <c>"true"</c>/<c>"false"</c>); <see langword="null"/> otherwise.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    public static bool? GetBoolean(this JsonElement element, string name)
    {
        if (!Find(element, name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when value.ValueEquals("true") => true,
            JsonValueKind.String when value.ValueEquals("false") => false,
            _ => null,
        };
    }

    /// <summary>Unix seconds (number or numeric string) as a time; <see langword="null"/> when absent, not positive, or beyond year 9999.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    /// <exception cref="FormatException">The string is not valid Unicode.</exception>
    public static DateTimeOffset? GetUnixSeconds(this JsonElement element, string name) =>
        element.GetInt64(name) is long seconds and > 0 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>
    /// An ISO 8601 / RFC 3339 time (<c>2026-11-24T08:00:00Z</c>; one without an offset is UTC), in UTC;
    /// <see langword="null"/> when absent, empty or not a time.
    /// </summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    /// <exception cref="FormatException">The string is not valid Unicode.</exception>
    public static DateTimeOffset? GetIsoTime(this JsonElement element, string name) =>
        element.GetText(name) is { Length: > 0 } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value)
            ? value
            : null;

    /// <summary>A JSON object whose fields <paramref name="write"/> writes, as UTF-8: a vendor request body.</summary>
    /// <param name="write">Writes the fields (the object's braces are written around them).</param>
    public static byte[] WriteObject(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An object field; <see langword="null"/> when absent or not an object.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    public static JsonElement? GetObject(this JsonElement element, string name) =>
        Find(element, name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>The items of an array field; none when absent or not an array.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    public static IEnumerable<JsonElement> GetArray(this JsonElement element, string name) =>
        Find(element, name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>
    /// The text of a string value (an array item, a property's value) or the literal of a number; <see langword="null"/>
    /// for other kinds.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="what">What it is, for the exception, e.g. <c>items[3]</c>.</param>
    /// <exception cref="FormatException">The string is not valid Unicode.</exception>
    public static string? AsText(this JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.String => Decode(value, what),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>Whether the object has the field, looked up without failing on another field's undecodable name.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The field.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="FormatException">A field name of the object is not valid Unicode.</exception>
    public static bool Find(this JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        try
        {
            return element.TryGetProperty(name, out value);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json decodes the names it passes on the way; an escaped lone surrogate there throws.
            throw new FormatException($"A field name next to '{name}' is not valid Unicode.", ex);
        }
    }

    /// <summary>The latest Unix time a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59Z).</summary>
    public const long MaxUnixSeconds = 253_402_300_799;

    private static string Decode(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"Field '{name}' holds text that is not valid Unicode.", ex);
        }
    }
}
