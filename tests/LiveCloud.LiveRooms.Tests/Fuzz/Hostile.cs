using System.Globalization;
using System.Text;

namespace LiveCloud.LiveRooms.Tests.Fuzz;

/// <summary>One generated input: what class of hostility it is, the request, and the statuses it may be answered with.</summary>
/// <param name="Class">The generator class, e.g. <c>signed-malformed</c>.</param>
/// <param name="Request">The request.</param>
/// <param name="Allowed">The statuses the contract allows for it; empty: anything but a 5xx.</param>
/// <param name="NoAnswerAllowed">Whether the server may close the connection without answering (framing abuse).</param>
internal sealed record FuzzCase(string Class, RawRequest Request, int[] Allowed, bool NoAnswerAllowed = false)
{
    public bool Allows(int status) =>
        status is > 0 and < 500 && (Allowed.Length == 0 || Allowed.Contains(status)) || (status == 0 && NoAnswerAllowed);
}

/// <summary>Building blocks of hostile input, drawn from a seeded <see cref="Random"/>.</summary>
internal static class Hostile
{
    /// <summary>17 content types, from the right one to nonsense.</summary>
    public static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "text/plain",
        "multipart/form-data; boundary=----x", "application/xml", "text/xml", "application/octet-stream",
        "application/json; charset=utf-16", "", "*/*", "application/x-www-form-urlencoded; charset=gbk", "text/html",
        "application/problem+json", "image/png", "application/javascript", "invalid/;;;=\"",
    ];

    /// <summary>Stream names no provider accepts: separators, spaces, controls, non-ASCII, lone surrogates, empty, too long.</summary>
    public static readonly string[] InvalidNames =
    [
        "../../etc/passwd", "room/../x", "a/b", "room name", "room\0x", "room\r\nX-Injected: 1", "房间一", "\ud800room",
        "room\udfff", "\u202eroom", "room\u200b", "<script>alert(1)</script>", "room;rm -rf /", "room%00", "", " ",
        new string('a', 300), new string('b', 5000), "room\t1", "emoji😀room", "\\\\server\\share", "room?x=1", "room#frag",
    ];

    /// <summary>Names that may or may not be valid for a provider (dots, short, reserved words…).</summary>
    public static readonly string[] OddNames = ["CON", ".", "..", "...", "a", "ab", "abc", "room=1", "room-1", "room.flv", "_", "-", "=", new string('z', 256), new string('y', 201)];

    public static string Pick(this Random r, IReadOnlyList<string> items) => items[r.Next(items.Count)];

    public static byte[] Bytes(Random r, int length)
    {
        byte[] bytes = new byte[length];
        r.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Text mixing printable ASCII, controls, lone surrogates, bidi and zero-width marks, CJK and emoji.</summary>
    public static string Text(Random r, int maxLength = 40)
    {
        int length = r.Next(0, maxLength + 1);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            switch (r.Next(10))
            {
                case 0: text.Append((char)r.Next(0, 0x20)); break;
                case 1: text.Append((char)r.Next(0xD800, 0xE000)); break;
                case 2: text.Append(r.Pick(["\u202e", "\u200b", "\u2028", "\ufeff", "\u200d", "\u2066", "\u0085", "\u00a0"])); break;
                case 3: text.Append((char)r.Next(0x4E00, 0x9FA5)); break;
                case 4: text.Append(char.ConvertFromUtf32(r.Next(0x1F600, 0x1F64F))); break;
                default: text.Append((char)r.Next(0x20, 0x7F)); break;
            }
        }

        return text.ToString();
    }

    /// <summary>A JSON string literal, every non-ASCII or control code unit escaped as <c>\uXXXX</c> (lone surrogates too).</summary>
    public static string J(string value)
    {
        var json = new StringBuilder("\"");
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                json.Append(c);
            }
        }

        return json.Append('"').ToString();
    }

    /// <summary>A JSON object from raw member values (duplicates kept, order kept).</summary>
    public static string Obj(IEnumerable<(string Name, string RawValue)> members) =>
        "{" + string.Join(",", members.Select(m => J(m.Name) + ":" + m.RawValue)) + "}";

    /// <summary>JSON nested <paramref name="depth"/> deep.</summary>
    public static string Deep(Random r, int depth) => r.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>Percent-encodes the UTF-8 of <paramref name="value"/> (a lone surrogate becomes U+FFFD's bytes).</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Form or query text from fields; a value starting with <c>%raw:</c> is sent as it is (invalid escapes…).</summary>
    public static string Form(IEnumerable<(string Name, string Value)> fields) =>
        string.Join("&", fields.Select(f => Escape(f.Name) + "=" + (f.Value.StartsWith("%raw:", StringComparison.Ordinal) ? f.Value[5..] : Escape(f.Value))));

    /// <summary>A hostile raw percent-escape: invalid UTF-8, an encoded NUL, a lone surrogate's CESU bytes, overlong forms.</summary>
    public static string RawEscape(Random r) => "%raw:" + r.Pick(["%ED%A0%80", "%FF%FE", "%00", "%C0%AF", "%E0%80%AF", "%", "%G1", "%%%", "%F4%90%80%80", "a%2Fb", "%2e%2e%2f"]);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Hex(Random r, int bytes) => Convert.ToHexStringLower(Bytes(r, bytes));

    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A body for a request that is meant to be refused for its size: 64 KiB + 1 to 1 MiB.</summary>
    public static byte[] Oversized(Random r)
    {
        int length = r.Next(64 * 1024 + 1, 1024 * 1024 + 1);
        byte[] body = new byte[length];
        if (r.Next(2) == 0)
        {
            r.NextBytes(body);
        }
        else
        {
            Array.Fill(body, (byte)'a');
            Encoding.ASCII.GetBytes("{\"t\":\"").CopyTo(body, 0);
        }

        return body;
    }

    /// <summary>
    /// Raw framing abuse on <paramref name="path"/>: bad chunk sizes, bad lengths, malformed header lines, oversized
    /// headers, duplicate Host, truncated bodies. Kestrel or the endpoint must answer 4xx (or close), never 5xx, and
    /// never log an error for it.
    /// </summary>
    public static FuzzCase Framing(Random r, string path)
    {
        string Head(string extra) => $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}";
        (string name, string raw, bool close) = r.Next(17) switch
        {
            0 => ("bad-chunk-size", Head("Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"), false),
            1 => ("chunk-size-overflow", Head("Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"), false),
            2 => ("bad-content-length", Head("Content-Length: abc\r\n\r\n{}"), false),
            3 => ("length-and-chunked", Head("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), false),
            4 => ("header-without-colon", Head("BadHeaderLine\r\nContent-Length: 0\r\n\r\n"), false),
            5 => ("garbage-request-line", "GARBAGE\r\n\r\n", false),
            6 => ("nul-in-header", Head("X-A: a\0b\r\nContent-Length: 0\r\n\r\n"), false),
            7 => ("huge-header", Head($"X-Big: {new string('x', 40_000)}\r\nContent-Length: 0\r\n\r\n"), false),
            8 => ("many-headers", Head(string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: {i}\r\n")) + "Content-Length: 0\r\n\r\n"), false),
            9 => ("duplicate-host", Head("Host: evil.example\r\nContent-Length: 0\r\n\r\n"), false),
            10 => ("truncated-chunked", Head("Transfer-Encoding: chunked\r\n\r\n50\r\nabc"), true),
            11 => ("truncated-length", Head("Content-Length: 100\r\n\r\n{\"t\":"), true),
            12 => ("absolute-form-target", $"POST http://evil.example{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", false),
            13 => ("raw-non-ascii-target", $"POST {path}?x=房间 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", false),
            14 => ("chunk-extension-garbage", Head("Transfer-Encoding: chunked\r\n\r\n2;\u0001\u0002\r\n{}\r\n0\r\n\r\n"), false),
            15 => ("bare-lf", $"POST {path} HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 2\n\n{{}}", false),
            _ => ("negative-length", Head("Content-Length: -1\r\n\r\n"), false),
        };
        return new FuzzCase("framing:" + name, new RawRequest { Target = path, Raw = Encoding.UTF8.GetBytes(raw), CloseAfterSending = close }, [], NoAnswerAllowed: true);
    }
}
