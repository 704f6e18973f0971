namespace LiveCloud.Volcengine;

/// <summary>
/// Volcengine's rule for names in stream addresses: <c>AppName</c> 1–30 and <c>StreamName</c> 1–100 of
/// <c>A–Z a–z 0–9 _ - .</c> (stricter than <see cref="StreamId"/>: no <c>=</c>, shorter).
/// </summary>
internal static class VolcengineNames
{
    public const int MaxAppLength = 30;
    public const int MaxStreamLength = 100;

    public static bool IsValidApp(string? value) => IsValid(value, MaxAppLength);

    public static bool IsValidStream(string? value) => IsValid(value, MaxStreamLength);

    /// <summary>Throws <see cref="ArgumentException"/> naming the value unless <paramref name="stream"/> passes Volcengine's rule.</summary>
    public static void Require(StreamId stream, string parameterName, string? rendition = null)
    {
        if (!IsValidApp(stream.App))
        {
            throw new ArgumentException($"Volcengine app name '{stream.App}' must be 1 to {MaxAppLength} letters, digits, '_', '-' or '.'.", parameterName);
        }

        string name = rendition is null ? stream.Name : stream.Name + "_" + rendition;
        if (!IsValidStream(name))
        {
            throw new ArgumentException($"Volcengine stream name '{name}' must be 1 to {MaxStreamLength} letters, digits, '_', '-' or '.'.", parameterName);
        }
    }

    private static bool IsValid(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
