namespace LiveCloud.Qiniu;

/// <summary>Qiniu's name rules for hubs and stream titles.</summary>
internal static class QiniuNames
{
    /// <summary>The shortest stream title Pili accepts.</summary>
    public const int MinStreamLength = 4;

    /// <summary>The longest stream title Pili accepts.</summary>
    public const int MaxStreamLength = 200;

    /// <summary>The longest hub name accepted here (Qiniu documents no rule; this bounds URL sizes).</summary>
    public const int MaxHubLength = 128;

    /// <summary>Whether <paramref name="stream"/> is a Pili stream title: <c>^[A-Za-z0-9_-]{4,200}$</c>.</summary>
    public static bool IsValidStream(string? stream) =>
        stream is { Length: >= MinStreamLength and <= MaxStreamLength } && IsUrlSafe(stream);

    /// <summary>
    /// Whether <paramref name="hub"/> is a hub name: letters, digits, <c>_</c> and <c>-</c>, 1–128 characters
    /// (Qiniu documents no hub rule; this keeps hubs safe in paths without escaping).
    /// </summary>
    public static bool IsValidHub(string? hub) => hub is { Length: > 0 and <= MaxHubLength } && IsUrlSafe(hub);

    /// <summary>Throws <see cref="ArgumentException"/> naming the value unless <paramref name="stream"/> is a valid stream title.</summary>
    /// <param name="stream">The stream title.</param>
    /// <param name="parameterName">The parameter to name.</param>
    public static void ValidateStream(string? stream, string parameterName)
    {
        if (!IsValidStream(stream))
        {
            throw new ArgumentException($"Qiniu stream title '{Printable(stream)}' must match ^[A-Za-z0-9_-]{{4,200}}$.", parameterName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the value unless <paramref name="hub"/> is a valid hub name.</summary>
    /// <param name="hub">The hub.</param>
    /// <param name="parameterName">The parameter to name.</param>
    public static void ValidateHub(string? hub, string parameterName)
    {
        if (!IsValidHub(hub))
        {
            throw new ArgumentException($"Qiniu hub '{Printable(hub)}' may hold only letters, digits, '_' and '-' (1 to {MaxHubLength}).", parameterName);
        }
    }

    internal static bool IsUrlSafe(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string? value)
    {
        if (value is null)
        {
            return "(null)";
        }

        string shown = value.Length > 80 ? value[..80] + "…" : value;
        return shown.ReplaceLineEndings("\\n");
    }
}
