using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LiveCloud.Tencent.Im;

/// <summary>
/// Tencent Cloud IM UserSig v2 (HMAC-SHA256), as the official <c>tls-sig-api-v2</c> libraries make it: the content
/// <c>TLS.identifier / TLS.sdkappid / TLS.time / TLS.expire [/ TLS.userbuf]</c> (one <c>key:value\n</c> line each) is
/// signed with HMAC-SHA256 keyed by the UTF-8 bytes of the secret key, put in a JSON document, zlib-compressed and
/// encoded in Tencent's base64 variant (standard base64 with <c>+</c>→<c>*</c>, <c>/</c>→<c>-</c>, <c>=</c>→<c>_</c>).
/// </summary>
/// <remarks>
/// The compressed bytes (and so the final string) differ between zlib builds and between the official libraries;
/// what is fixed is the content, <c>TLS.sig</c> and the decoded document, which is what Tencent checks.
/// Nothing here logs or echoes the key.
/// </remarks>
public static class UserSig
{
    /// <summary>The document version, <c>2.0</c>.</summary>
    public const string Version = "2.0";

    /// <summary>The longest UserID Tencent accepts, in bytes.</summary>
    public const int MaxIdentifierLength = 32;

    // A decoded document is a few hundred bytes; anything far larger is not a UserSig (or is a zip bomb).
    private const int MaxDecodedBytes = 16 * 1024;
    private const int MaxEncodedLength = 8 * 1024;

    // Like the official libraries, write base64's + / = as themselves (the default encoder escapes + as \u002B, which
    // parses the same but is a needless difference); the identifier is restricted to A-Z a-z 0-9 _ -.
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the exact text that <c>TLS.sig</c> signs (every line ending in <c>\n</c>).</summary>
    /// <param name="sdkAppId">The app's SDKAppID.</param>
    /// <param name="identifier">The UserID.</param>
    /// <param name="time">The issue time, Unix seconds.</param>
    /// <param name="expire">The lifetime in seconds (relative to <paramref name="time"/>).</param>
    /// <param name="userBuf">The userbuf (TRTC PrivateMapKey), or empty for IM logins.</param>
    public static string BuildContent(long sdkAppId, string identifier, long time, long expire, ReadOnlySpan<byte> userBuf = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var text = new StringBuilder(160)
            .Append("TLS.identifier:").Append(identifier).Append('\n')
            .Append("TLS.sdkappid:").Append(sdkAppId.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("TLS.time:").Append(time.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("TLS.expire:").Append(expire.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (!userBuf.IsEmpty)
        {
            text.Append("TLS.userbuf:").Append(Convert.ToBase64String(userBuf)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Computes <c>TLS.sig</c>: standard base64 of HMAC-SHA256(UTF-8 key, UTF-8 content).</summary>
    /// <param name="secretKey">The app's secret key, used as its UTF-8 bytes (not hex-decoded).</param>
    /// <param name="content">The text of <see cref="BuildContent"/>.</param>
    public static string ComputeSignature(string secretKey, string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToBase64String(Hmac(secretKey, content));
    }

    /// <summary>Creates a UserSig for fixed inputs (the clock-free core of <see cref="UserSigGenerator"/>).</summary>
    /// <param name="sdkAppId">The app's SDKAppID (positive).</param>
    /// <param name="secretKey">The app's secret key.</param>
    /// <param name="identifier">The UserID: 1–32 characters from <c>A-Z a-z 0-9 _ -</c>.</param>
    /// <param name="time">The issue time, Unix seconds.</param>
    /// <param name="expire">The lifetime in seconds (positive).</param>
    /// <param name="userBuf">The userbuf, or empty for IM logins.</param>
    /// <exception cref="ArgumentException">A bad app id, identifier or lifetime (the message never holds the key).</exception>
    public static string Create(long sdkAppId, string secretKey, string identifier, long time, long expire, ReadOnlySpan<byte> userBuf = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sdkAppId);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        ValidateIdentifier(identifier);
        ArgumentOutOfRangeException.ThrowIfNegative(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expire);

        string? userBufText = userBuf.IsEmpty ? null : Convert.ToBase64String(userBuf);
        string sig = ComputeSignature(secretKey, BuildContent(sdkAppId, identifier, time, expire, userBuf));

        // Key order of the official Python library: ver, identifier, sdkappid, expire, time, [userbuf], sig.
        var json = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(json, RelaxedJson))
        {
            w.WriteStartObject();
            w.WriteString("TLS.ver", Version);
            w.WriteString("TLS.identifier", identifier);
            w.WriteNumber("TLS.sdkappid", sdkAppId);
            w.WriteNumber("TLS.expire", expire);
            w.WriteNumber("TLS.time", time);
            if (userBufText is not null)
            {
                w.WriteString("TLS.userbuf", userBufText);
            }

            w.WriteString("TLS.sig", sig);
            w.WriteEndObject();
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(json.WrittenSpan);
        }

        return ToTencentBase64(Convert.ToBase64String(compressed.GetBuffer(), 0, (int)compressed.Length));
    }

    /// <summary>
    /// Decodes a UserSig into its document without checking it (see <see cref="UserSigVerifier"/> for that):
    /// Tencent base64 → zlib inflate → JSON.
    /// </summary>
    /// <param name="userSig">The UserSig string.</param>
    /// <exception cref="FormatException">Not a UserSig: bad alphabet, not zlib, not the expected JSON.</exception>
    public static UserSigDocument Decode(string userSig)
    {
        ArgumentNullException.ThrowIfNull(userSig);
        if (userSig.Length == 0 || userSig.Length > MaxEncodedLength)
        {
            throw new FormatException($"A UserSig is 1 to {MaxEncodedLength} characters long; got {userSig.Length}.");
        }

        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(FromTencentBase64(userSig));
        }
        catch (FormatException ex)
        {
            throw new FormatException("The UserSig is not in Tencent's base64 alphabet (A-Z a-z 0-9 * - with _ padding).", ex);
        }

        byte[] json = Inflate(compressed);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The UserSig's document is not a JSON object.");
            }

            string? userBufText = OptionalString(root, "TLS.userbuf");
            byte[]? userBuf = null;
            if (userBufText is not null)
            {
                try
                {
                    userBuf = Convert.FromBase64String(userBufText);
                }
                catch (FormatException ex)
                {
                    throw new FormatException("The UserSig's TLS.userbuf is not base64.", ex);
                }
            }

            return new UserSigDocument(
                OptionalString(root, "TLS.ver") ?? throw Missing("TLS.ver"),
                OptionalString(root, "TLS.identifier") ?? throw Missing("TLS.identifier"),
                Number(root, "TLS.sdkappid"),
                Number(root, "TLS.time"),
                Number(root, "TLS.expire"),
                OptionalString(root, "TLS.sig") ?? throw Missing("TLS.sig"),
                userBuf);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The UserSig's document is not JSON.", ex);
        }
    }

    /// <summary>Checks a UserID: 1–32 characters from <c>A-Z a-z 0-9 _ -</c>, the set the official libraries document.</summary>
    /// <param name="identifier">The UserID.</param>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <exception cref="ArgumentException">The identifier is empty, too long or has another character.</exception>
    public static void ValidateIdentifier(string identifier, string paramName = "identifier")
    {
        ArgumentNullException.ThrowIfNull(identifier, paramName);
        if (identifier.Length is 0 or > MaxIdentifierLength || !identifier.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"A Tencent IM UserID must be 1 to {MaxIdentifierLength} characters from A-Z a-z 0-9 _ -; got '{identifier}'.", paramName);
        }
    }

    internal static bool IsValidIdentifier(string? identifier) =>
        identifier is { Length: > 0 and <= MaxIdentifierLength } && identifier.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    internal static byte[] Hmac(string secretKey, string content) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(content));

    private static string ToTencentBase64(string base64) =>
        base64.Replace('+', '*').Replace('/', '-').Replace('=', '_');

    private static string FromTencentBase64(string text)
    {
        foreach (char c in text)
        {
            // The standard characters + / = never appear in Tencent's variant: refusing them keeps one spelling per UserSig.
            if (!(char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '_'))
            {
                throw new FormatException("Unexpected character.");
            }
        }

        return text.Replace('*', '+').Replace('-', '/').Replace('_', '=');
    }

    private static byte[] Inflate(byte[] compressed)
    {
        try
        {
            using var input = new MemoryStream(compressed, writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            byte[] buffer = new byte[1024];
            int read;
            while ((read = zlib.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > MaxDecodedBytes)
                {
                    throw new FormatException($"The UserSig inflates to more than {MaxDecodedBytes} bytes.");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new FormatException("The UserSig is not a zlib stream.", ex);
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        !root.TryGetProperty(name, out JsonElement v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new FormatException($"The UserSig's {name} is not a string.");

    private static long Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n)
            ? n
            : throw new FormatException($"The UserSig's {name} is missing or not an integer.");

    private static FormatException Missing(string name) => new($"The UserSig has no {name}.");
}

/// <summary>The decoded JSON document of a UserSig.</summary>
/// <param name="Version">The <c>TLS.ver</c> (<c>2.0</c>).</param>
/// <param name="Identifier">The <c>TLS.identifier</c> (UserID).</param>
/// <param name="SdkAppId">The <c>TLS.sdkappid</c>.</param>
/// <param name="Time">The <c>TLS.time</c>: issue time, Unix seconds.</param>
/// <param name="Expire">The <c>TLS.expire</c>: lifetime in seconds.</param>
/// <param name="Signature">The <c>TLS.sig</c> (standard base64 of the HMAC).</param>
/// <param name="UserBuf">The decoded <c>TLS.userbuf</c>, when present.</param>
public sealed record UserSigDocument(string Version, string Identifier, long SdkAppId, long Time, long Expire, string Signature, byte[]? UserBuf)
{
    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt => DateTimeOffset.FromUnixTimeSeconds(Time);

    /// <summary>The last second it is valid (Tencent refuses it only when now &gt; time + expire).</summary>
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(Time + Expire);

    /// <summary>The signed content rebuilt from this document.</summary>
    public string Content => UserSig.BuildContent(SdkAppId, Identifier, Time, Expire, UserBuf);

    /// <summary>Shows the claims only: with <see cref="Signature"/> anyone could rebuild a working UserSig.</summary>
    public override string ToString() =>
        $"UserSigDocument {{ Version = {Version}, Identifier = {Identifier}, SdkAppId = {SdkAppId}, Time = {Time}, Expire = {Expire}, Signature = ***, UserBuf = {(UserBuf is null ? "(none)" : $"{UserBuf.Length} bytes")} }}";
}
