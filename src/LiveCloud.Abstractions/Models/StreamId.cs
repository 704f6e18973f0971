namespace LiveCloud;

/// <summary>
/// Identifies a live stream: an application (Tencent/Aliyun <c>AppName</c>, Qiniu hub, nginx-rtmp
/// <c>application</c>) and a stream name. Both parts are validated once, here, so that every URL and
/// API call built from a <see cref="StreamId"/> is safe to put in a path without escaping.
/// </summary>
/// <remarks>
/// The rule here is the common subset of the vendors: 1–256 characters from <c>A–Z a–z 0–9 _ - . =</c>,
/// not starting with <c>.</c>. A provider may be stricter (Qiniu wants 4–200 characters without
/// <c>.</c> or <c>=</c>) and then refuses the id with an <see cref="ArgumentException"/> of its own.
/// </remarks>
public sealed record StreamId
{
    /// <summary>The longest app or stream name accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>Creates a stream id, validating both parts.</summary>
    /// <param name="app">The application name, e.g. <c>live</c>.</param>
    /// <param name="name">The stream name, e.g. <c>room_1001</c>.</param>
    /// <exception cref="ArgumentException">A part is empty, too long or holds a character outside the rule.</exception>
    public StreamId(string app, string name)
    {
        App = Validate(app, nameof(app));
        Name = Validate(name, nameof(name));
    }

    /// <summary>The application name (Qiniu: the hub).</summary>
    public string App { get; }

    /// <summary>The stream name.</summary>
    public string Name { get; }

    /// <summary>Returns <c>app/name</c>, the path form every vendor uses.</summary>
    public override string ToString() => App + "/" + Name;

    /// <summary>Parses <c>app/name</c>.</summary>
    /// <exception cref="ArgumentException">The text is not of that form or a part is invalid.</exception>
    public static StreamId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"Stream id '{value}' must have the form 'app/name'.", nameof(value));
        }

        return new StreamId(value[..slash], value[(slash + 1)..]);
    }

    /// <summary>Whether <paramref name="value"/> is a valid app or stream name under the common rule.</summary>
    public static bool IsValidPart(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value[0] == '.')
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '='))
            {
                return false;
            }
        }

        return true;
    }

    private static string Validate(string value, string parameterName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (!IsValidPart(value))
        {
            string why = value.Length == 0 ? "is empty"
                : value.Length > MaxLength ? $"is {value.Length} characters long (at most {MaxLength})"
                : value[0] == '.' ? "starts with '.'"
                : "may hold only letters, digits, '_', '-', '.' and '='";
            throw new ArgumentException($"Stream {parameterName} '{Printable(value)}' {why}.", parameterName);
        }

        return value;
    }

    // Keeps error messages one readable line even for hostile input.
    private static string Printable(string value)
    {
        string shown = value.Length > 80 ? value[..80] + "…" : value;
        return shown.ReplaceLineEndings("\\n");
    }
}
