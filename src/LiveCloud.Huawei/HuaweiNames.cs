namespace LiveCloud.Huawei;

/// <summary>
/// Huawei's rules for AppName (letters, digits, <c>_</c>, <c>-</c>; up to 128) and StreamName (letters, digits, <c>_</c>,
/// <c>-</c>, and <c>*</c> and <c>/</c>, which <see cref="StreamId"/> never holds). Both are stricter than
/// <see cref="StreamId"/>'s common rule: no <c>.</c> or <c>=</c>.
/// </summary>
internal static class HuaweiNames
{
    public const int MaxAppLength = 128;

    public static bool IsValidApp(string? value) => IsValid(value, MaxAppLength);

    public static bool IsValidStream(string? value) => IsValid(value, StreamId.MaxLength);

    /// <summary>Throws <see cref="ArgumentException"/> naming the value unless <paramref name="stream"/> passes Huawei's rule.</summary>
    public static void Require(StreamId stream, string parameterName)
    {
        if (!IsValidApp(stream.App))
        {
            throw new ArgumentException($"Huawei app name '{stream.App}' may hold only letters, digits, '_' and '-' (1 to {MaxAppLength} characters).", parameterName);
        }

        if (!IsValidStream(stream.Name))
        {
            throw new ArgumentException($"Huawei stream name '{stream.Name}' may hold only letters, digits, '_' and '-'.", parameterName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the value unless <paramref name="rendition"/> (a transcoding template id) passes the stream rule.</summary>
    public static void RequireRendition(string? rendition, string parameterName)
    {
        if (rendition is not null && !IsValidStream(rendition))
        {
            throw new ArgumentException($"Huawei transcoding template id '{rendition}' may hold only letters, digits, '_' and '-'.", parameterName);
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
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
