using System.Text;

namespace LiveCloud.Aliyun.Signing;

/// <summary>
/// The percent-encoding both Aliyun signatures use: RFC 3986, every byte of the UTF-8 form except
/// <c>A–Z a–z 0–9 - _ . ~</c> becomes <c>%XX</c> (upper-case hex), so a space is <c>%20</c>, <c>*</c> is <c>%2A</c> and <c>~</c> stays.
/// </summary>
internal static class AliyunPercentEncoding
{
    /// <summary>Encodes <paramref name="value"/>.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool plain = true;
        foreach (char c in value)
        {
            if (!IsUnreserved(c))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return value;
        }

        const string Hex = "0123456789ABCDEF";
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            if (b < 0x80 && IsUnreserved((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';
}
