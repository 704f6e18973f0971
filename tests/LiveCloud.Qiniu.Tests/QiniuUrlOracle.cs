using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Qiniu;

namespace LiveCloud.Qiniu.Tests;

/// <summary>
/// A second, independent implementation of Qiniu's URL signing rules, for tests only: it signs any URL the way
/// Qiniu's Go SDK does (<c>SignPublishURL</c>, <c>SignPlayURL</c>), extra query parameters included, with the
/// platform's hash functions. The library's <see cref="QiniuUrlSigner"/> (the hot path) must agree with it.
/// </summary>
internal static class QiniuUrlOracle
{
    /// <summary>
    /// Signs any RTMP or SRT push URL as <c>SignPublishURL</c> does: drops an existing <c>token</c>, sets
    /// <c>e</c>/<c>expire</c> (or <c>key</c>), sorts and escapes the query, signs <c>path?query</c> and appends
    /// <c>token</c> last.
    /// </summary>
    /// <param name="url">An unsigned URL, e.g. <c>rtmp://d/hub/stream?uid=42</c> or <c>srt://d?streamid=#!::h=hub/stream,m=publish,domain=d</c>.</param>
    /// <param name="security">The push security.</param>
    /// <param name="deadline">The Unix-seconds deadline.</param>
    /// <param name="accessKey">The AccessKey (for <see cref="QiniuPushSecurity.ExpirySk"/>).</param>
    /// <param name="key">The SecretKey (<see cref="QiniuPushSecurity.ExpirySk"/>) or the publish key (<see cref="QiniuPushSecurity.Expiry"/>, <see cref="QiniuPushSecurity.Static"/>).</param>
    public static string SignPublishUrl(string url, QiniuPushSecurity security, long deadline, string? accessKey, string? key)
    {
        ArgumentNullException.ThrowIfNull(url);
        bool srt = url.StartsWith("srt://", StringComparison.OrdinalIgnoreCase);
        string hostPart;
        string path;
        List<KeyValuePair<string, string>> query;
        string? method = null;
        if (srt)
        {
            int q = url.IndexOf('?', StringComparison.Ordinal);
            hostPart = q < 0 ? url : url[..q];
            if (hostPart.LastIndexOf(':') <= "srt://".Length)
            {
                hostPart += ":" + QiniuUrlSigner.SrtPort.ToString(CultureInfo.InvariantCulture);
            }

            string streamId = q < 0 ? string.Empty : url[(q + 1)..];
            const string prefix = "streamid=#!::";
            if (!streamId.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"SRT URL '{url}' has no 'streamid=#!::' part.", nameof(url));
            }

            path = string.Empty;
            query = [];
            foreach (string field in streamId[prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = field.IndexOf('=', StringComparison.Ordinal);
                string k = eq < 0 ? field : field[..eq];
                string v = eq < 0 ? string.Empty : field[(eq + 1)..];
                if (k == "h")
                {
                    path = "/" + v;
                }
                else if (k == "m")
                {
                    method = v;
                }
                else
                {
                    query.Add(new(k, v));
                }
            }
        }
        else
        {
            (hostPart, path, query) = SplitUrl(url);
        }

        query.RemoveAll(p => p.Key == "token");
        string? token = null;
        switch (security)
        {
            case QiniuPushSecurity.ExpirySk:
            case QiniuPushSecurity.Expiry:
                string field = security == QiniuPushSecurity.ExpirySk ? "e" : "expire";
                ArgumentException.ThrowIfNullOrEmpty(key);
                query.RemoveAll(p => p.Key == field);
                query.Add(new(field, deadline.ToString(CultureInfo.InvariantCulture)));
                string signed = path + "?" + EncodeQuery(Sorted(query), '&');
                byte[] mac = CryptographicOperations.HmacData(HashAlgorithmName.SHA1, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(signed));
                string sign = Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
                if (security == QiniuPushSecurity.ExpirySk)
                {
                    ArgumentException.ThrowIfNullOrEmpty(accessKey);
                    token = accessKey + ":" + sign;
                }
                else
                {
                    token = sign;
                }

                break;
            case QiniuPushSecurity.Static:
                ArgumentException.ThrowIfNullOrEmpty(key);
                query.RemoveAll(p => p.Key == "key");
                query.Add(new("key", key));
                break;
        }

        if (srt)
        {
            if (method is not null)
            {
                query.Add(new("m", method));
            }

            string fields = EncodeQuery(Sorted(query), ',');
            return $"{hostPart}?streamid=#!::h={path.TrimStart('/')}{(fields.Length > 0 ? "," + fields : "")}{(token is null ? "" : ",token=" + token)}";
        }

        string encoded = EncodeQuery(Sorted(query), '&');
        string result = hostPart + path + (encoded.Length > 0 ? "?" + encoded : "");
        return token is null ? result : result + (encoded.Length > 0 ? "&" : "?") + "token=" + token;
    }

    /// <summary>
    /// Signs any play URL with the timestamp anti-leech rule <c>$(key)$(path)$(_t)</c> as <c>SignPlayURL</c> does:
    /// <c>sign = md5hex(key + path + t)</c>, <c>t</c> = <paramref name="timestamp"/> in base <paramref name="tsBase"/>
    /// (lower case), query sorted with other parameters kept.
    /// </summary>
    /// <param name="url">The unsigned URL.</param>
    /// <param name="key">The play key.</param>
    /// <param name="timestamp">The Unix-seconds expiry (<c>tsExpireMD5</c>) or start (<c>tsStartMD5</c>).</param>
    /// <param name="tsBase">The base of <c>t</c>, 2–36; 16 by default.</param>
    public static string SignPlayUrl(string url, string key, long timestamp, int tsBase = 16)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(tsBase, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tsBase, 36);
        (string hostPart, string path, List<KeyValuePair<string, string>> query) = SplitUrl(url);
        string t = ToBase(timestamp, tsBase);
        string sign = Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, Encoding.UTF8.GetBytes(key + path + t)));
        query.RemoveAll(p => p.Key is "sign" or "t");
        query.Add(new("sign", sign));
        query.Add(new("t", t));
        return hostPart + path + "?" + EncodeQuery(Sorted(query), '&');
    }

    private static string ToBase(long value, int radix)
    {
        if (radix == 10)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        if (value == 0)
        {
            return "0";
        }

        bool negative = value < 0;
        ulong v = negative ? (ulong)(-value) : (ulong)value;
        var digits = new StringBuilder();
        while (v > 0)
        {
            int d = (int)(v % (ulong)radix);
            digits.Insert(0, (char)(d < 10 ? '0' + d : 'a' + d - 10));
            v /= (ulong)radix;
        }

        return negative ? "-" + digits : digits.ToString();
    }

    private static (string HostPart, string Path, List<KeyValuePair<string, string>> Query) SplitUrl(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        }

        int q = url.IndexOf('?', StringComparison.Ordinal);
        string beforeQuery = q < 0 ? url : url[..q];
        int slash = beforeQuery.IndexOf('/', scheme + 3);
        string hostPart = slash < 0 ? beforeQuery : beforeQuery[..slash];
        string path = slash < 0 ? string.Empty : beforeQuery[slash..];
        var query = new List<KeyValuePair<string, string>>();
        if (q >= 0)
        {
            foreach (string pair in url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string k = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                string v = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                query.Add(new(k, v));
            }
        }

        return (hostPart, path, query);
    }

    // Go's url.Values.Encode: keys sorted (ordinal), each key's values in the order given.
    private static IEnumerable<KeyValuePair<string, string>> Sorted(List<KeyValuePair<string, string>> query) =>
        query.Select((p, i) => (p, i)).OrderBy(x => x.p.Key, StringComparer.Ordinal).ThenBy(x => x.i).Select(x => x.p);

    private static string EncodeQuery(IEnumerable<KeyValuePair<string, string>> query, char separator) =>
        string.Join(separator, query.Select(p => QueryEscape(p.Key) + "=" + QueryEscape(p.Value)));

    // Go's url.QueryEscape: unreserved characters kept, space as '+', the rest as upper-case %XX of UTF-8.
    private static string QueryEscape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
