namespace LiveCloud.Testing;

/// <summary>Spoils a signature by the smallest possible amount, to show a check is exact.</summary>
public static class Tamper
{
    /// <summary>
    /// <paramref name="value"/> with one character (the middle one unless <paramref name="index"/> is given) replaced
    /// by another of the same kind — digit, lower-case or upper-case letter — so the result is still well-formed hex,
    /// Base64 or Base64url and only the signature check can tell.
    /// </summary>
    public static string OffByOne(string value, int? index = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        int at = index ?? value.Length / 2;
        while (!char.IsAsciiLetterOrDigit(value[at]))
        {
            at = (at + 1) % value.Length;
        }

        char c = value[at];
        char other = c switch
        {
            '9' => '0',
            'z' => 'a',
            'Z' => 'A',
            'f' when value.All(char.IsAsciiHexDigitLower) => 'e', // lower-case hex stays hex
            _ => (char)(c + 1),
        };
        return string.Concat(value.AsSpan(0, at), other.ToString(), value.AsSpan(at + 1));
    }
}
