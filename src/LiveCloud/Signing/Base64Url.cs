namespace LiveCloud.Signing;

/// <summary>
/// URL-safe Base64 (RFC 4648 §5: <c>-</c> and <c>_</c> for <c>+</c> and <c>/</c>), with or without padding, into
/// caller buffers: the alphabet Qiniu tokens, nginx signatures and many vendor ids use.
/// </summary>
public static class Base64Url
{
    /// <summary>The characters <paramref name="byteCount"/> bytes need, padded.</summary>
    /// <param name="byteCount">The number of bytes.</param>
    public static int GetMaxEncodedLength(int byteCount) => ((byteCount + 2) / 3) * 4;

    /// <summary>Writes <paramref name="bytes"/> into <paramref name="destination"/>; returns the characters written.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="destination">At least <see cref="GetMaxEncodedLength"/> characters.</param>
    /// <param name="padding">Whether to keep the trailing <c>=</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int Encode(ReadOnlySpan<byte> bytes, Span<char> destination, bool padding)
    {
        if (!Convert.TryToBase64Chars(bytes, destination, out int written))
        {
            throw new ArgumentException($"The destination holds {destination.Length} characters; {GetMaxEncodedLength(bytes.Length)} are needed.", nameof(destination));
        }

        Span<char> text = destination[..written];
        text.Replace('+', '-');
        text.Replace('/', '_');
        if (!padding)
        {
            while (written > 0 && destination[written - 1] == '=')
            {
                written--;
            }
        }

        return written;
    }

    /// <summary>Encodes <paramref name="bytes"/> as a new string.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="padding">Whether to keep the trailing <c>=</c>.</param>
    public static string Encode(ReadOnlySpan<byte> bytes, bool padding)
    {
        int length = GetMaxEncodedLength(bytes.Length);
        char[]? rented = length > 256 ? new char[length] : null;
        Span<char> chars = rented ?? stackalloc char[length];
        return new string(chars[..Encode(bytes, chars, padding)]);
    }

    /// <summary>
    /// Decodes URL-safe Base64, padded or not, into <paramref name="destination"/>. Characters outside the alphabet,
    /// or a result that does not fill <paramref name="destination"/> exactly, fail.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="destination">Exactly as many bytes as expected.</param>
    public static bool TryDecodeExact(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length > 4096)
        {
            return false;
        }

        Span<char> padded = stackalloc char[((text.Length + 3) / 4) * 4];
        int length = text.Length;
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (c == '=' && i >= length - 2)
            {
                length = i;
                break;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }

            padded[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }

        int total = ((length + 3) / 4) * 4;
        padded[length..total].Fill('=');
        return Convert.TryFromBase64Chars(padded[..total], destination, out int written) && written == destination.Length;
    }
}
