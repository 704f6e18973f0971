using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LiveCloud.Testing.Emulators.WeChat;

/// <summary>
/// WeChat's message push (消息推送) as WeChat sends it, written here with its own code (never the library's): the
/// <c>signature</c> and <c>msg_signature</c> (SHA-1 of the sorted parts), safe-mode encryption (AES-256-CBC, IV = the
/// key's first 16 bytes, PKCS#7 to 32 bytes, 16 random bytes ‖ big-endian length ‖ message ‖ AppID), and the requests.
/// </summary>
public static class WeChatMessagePush
{
    /// <summary>SHA-1 of the parts sorted (ordinal) and joined, in lower-case hex.</summary>
    public static string Signature(params string[] parts)
    {
        string[] sorted = [.. parts.Order(StringComparer.Ordinal)];
#pragma warning disable CA5350 // WeChat's protocol.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
#pragma warning restore CA5350
    }

    /// <summary>Encrypts <paramref name="message"/> for <paramref name="appId"/> as safe mode does.</summary>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey.</param>
    /// <param name="message">The message text.</param>
    /// <param name="appId">The AppID appended to it.</param>
    /// <param name="random">The 16-byte prefix; random when <see langword="null"/>.</param>
    public static string Encrypt(string encodingAesKey, string message, string appId, byte[]? random = null)
    {
        byte[] key = Convert.FromBase64String(encodingAesKey + "=");
        byte[] text = Encoding.UTF8.GetBytes(message);
        byte[] id = Encoding.UTF8.GetBytes(appId);
        byte[] prefix = random ?? RandomNumberGenerator.GetBytes(16);
        int length = 16 + 4 + text.Length + id.Length;
        int pad = 32 - (length % 32);
        byte[] plain = new byte[length + pad];
        prefix.CopyTo(plain, 0);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16), (uint)text.Length);
        text.CopyTo(plain, 20);
        id.CopyTo(plain, 20 + text.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using Aes aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>The URL check WeChat makes when the push URL is saved: <c>GET ?signature&amp;timestamp&amp;nonce&amp;echostr</c>.</summary>
    public static CallbackRequest UrlCheck(string token, long timestamp, string nonce, string echostr)
    {
        string ts = timestamp.ToString(CultureInfo.InvariantCulture);
        return new CallbackRequest
        {
            Method = "GET",
            Query = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["signature"] = Signature(token, ts, nonce),
                ["timestamp"] = ts,
                ["nonce"] = nonce,
                ["echostr"] = echostr,
            },
        };
    }

    /// <summary>A plain-text-mode message: the body as is, <c>signature</c> over Token, timestamp and nonce.</summary>
    public static CallbackRequest Plain(string token, string body, long timestamp, string nonce, bool xml = false)
    {
        string ts = timestamp.ToString(CultureInfo.InvariantCulture);
        return new CallbackRequest
        {
            Method = "POST",
            ContentType = xml ? "text/xml" : "application/json",
            Body = body,
            Query = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["signature"] = Signature(token, ts, nonce),
                ["timestamp"] = ts,
                ["nonce"] = nonce,
                ["openid"] = "oABCD_user_openid",
            },
        };
    }

    /// <summary>A safe-mode message: the body holds only <c>ToUserName</c> and <c>Encrypt</c>; the query adds <c>encrypt_type=aes</c> and <c>msg_signature</c>.</summary>
    public static CallbackRequest Safe(string token, string encodingAesKey, string appId, string message, long timestamp, string nonce, bool xml = false, byte[]? random = null) =>
        SafeWithEncrypt(token, Encrypt(encodingAesKey, message, appId, random), timestamp, nonce, xml);

    /// <summary>A safe-mode request around an <c>Encrypt</c> text given as is (for published vectors).</summary>
    public static CallbackRequest SafeWithEncrypt(string token, string encrypt, long timestamp, string nonce, bool xml = false)
    {
        string ts = timestamp.ToString(CultureInfo.InvariantCulture);
        string body = xml
            ? $"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
            : new JsonObject { ["ToUserName"] = "gh_0123456789ab", ["Encrypt"] = encrypt }.ToJsonString();
        return new CallbackRequest
        {
            Method = "POST",
            ContentType = xml ? "text/xml" : "application/json",
            Body = body,
            Query = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["signature"] = Signature(token, ts, nonce),
                ["timestamp"] = ts,
                ["nonce"] = nonce,
                ["openid"] = "oABCD_user_openid",
                ["encrypt_type"] = "aes",
                ["msg_signature"] = Signature(token, ts, nonce, encrypt),
            },
        };
    }

    /// <summary>A <c>wxalive_follow_notify</c> message (JSON): a viewer subscribed to (<c>add_follow</c>) or left a room's start notice.</summary>
    public static string FollowNotify(long roomId, string openId, long time, int liveStatus = 102, string action = "add_follow") =>
        new JsonObject
        {
            ["ToUserName"] = "gh_0123456789ab",
            ["FromUserName"] = openId,
            ["CreateTime"] = time,
            ["MsgType"] = "event",
            ["Event"] = "wxalive_follow_notify",
            ["FollowNotify"] = new JsonObject
            {
                ["room_id"] = roomId,
                ["user_openid"] = openId,
                ["time"] = time,
                ["live_status"] = liveStatus,
                ["action"] = action,
            },
        }.ToJsonString();

    /// <summary>A <c>wxalive_push_message_notify</c> message (JSON): how a start-notice push to the followers went.</summary>
    public static string PushMessageNotify(long roomId, string messageId, int total, int success, long time) =>
        new JsonObject
        {
            ["ToUserName"] = "gh_0123456789ab",
            ["FromUserName"] = "o_system",
            ["CreateTime"] = time,
            ["MsgType"] = "event",
            ["Event"] = "wxalive_push_message_notify",
            ["PushMessageApiNotify"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["room_id"] = roomId,
                ["total_count"] = total,
                ["success_count"] = success,
                ["openid_error_count"] = 0,
                ["relation_error_count"] = 0,
                ["user_recv_limit_count"] = total - success,
                ["internal_error_count"] = 0,
            },
        }.ToJsonString();

    /// <summary>Posts a message to <paramref name="url"/> as WeChat's message push does (query and body as built above).</summary>
    /// <returns>The HTTP status and body of the answer.</returns>
    public static async Task<(int Status, string Body)> DeliverAsync(HttpClient http, Uri url, CallbackRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(message);
        string query = string.Join('&', message.Query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var target = new UriBuilder(url) { Query = query }.Uri;
        using var request = new HttpRequestMessage(new HttpMethod(message.Method), target);
        if (message.Method == "POST")
        {
            request.Content = new StringContent(message.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(message.ContentType ?? "application/json");
        }

        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
