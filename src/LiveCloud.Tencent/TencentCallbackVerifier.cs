using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Signing;

namespace LiveCloud.Tencent;

/// <summary>
/// Verifies and parses Tencent Cloud Live event callbacks (事件消息通知): a JSON POST carrying
/// <c>sign = md5(CallbackKey + t)</c>, where <c>t</c> is the decimal Unix time after which the callback must be refused.
/// </summary>
/// <remarks>
/// Event types: <c>1</c> push started, <c>0</c> push ended, <c>100</c> recording file ready, <c>200</c> snapshot ready.
/// The <see cref="StreamEvent.EventId"/> is built from the event's own fields (not from <c>t</c> or <c>sign</c>), so
/// Tencent's redeliveries (every 60 s, 3 times) get the same id.
/// </remarks>
public sealed class TencentCallbackVerifier
{
    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;

    /// <summary>Creates a verifier.</summary>
    /// <param name="callbackKey">The callback key.</param>
    /// <param name="clockSkew">How long after <c>t</c> a callback is still accepted.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public TencentCallbackVerifier(string callbackKey, TimeSpan clockSkew, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(callbackKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(clockSkew, TimeSpan.Zero);
        _key = Encoding.UTF8.GetBytes(callbackKey);
        _clockSkew = clockSkew;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Computes <c>md5(key + t)</c> in lower-case hex, the <c>sign</c> Tencent sends.</summary>
    /// <param name="callbackKey">The callback key.</param>
    /// <param name="t">The <c>t</c> field as sent (decimal Unix seconds).</param>
    public static string ComputeSign(string callbackKey, string t)
    {
        ArgumentNullException.ThrowIfNull(callbackKey);
        ArgumentNullException.ThrowIfNull(t);
        Span<byte> hash = stackalloc byte[VendorHashes.Md5Size];
        Hash(Encoding.UTF8.GetBytes(callbackKey), t, hash);
        Span<char> hex = stackalloc char[32];
        VendorHashes.WriteLowerHex(hash, hex);
        return new string(hex);
    }

    /// <summary>Verifies the signature and the expiry, then parses the event.</summary>
    /// <param name="request">The callback as received.</param>
    /// <param name="provider">The provider name to put in the event.</param>
    /// <exception cref="CallbackVerificationException">Not JSON, unsigned, badly signed, or past its <c>t</c>; answer 401.</exception>
    /// <exception cref="NotSupportedException">A verified event type LiveCloud does not model (e.g. 321 push exception); answer 200 so Tencent stops retrying.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            throw Refused("the body is not JSON", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Refused("the body is not a JSON object");
            }

            string t = Text(root, "t") ?? throw Refused("it has no 't'");
            string sign = Text(root, "sign") ?? throw Refused("it has no 'sign'");
            if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long expiry))
            {
                throw Refused("its 't' is not a Unix time");
            }

            if (!SignMatches(t, sign))
            {
                throw Refused("its sign does not match md5(CallbackKey + t)");
            }

            DateTimeOffset now = _timeProvider.GetUtcNow();
            if (DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiry, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) + _clockSkew < now)
            {
                throw Refused($"it expired at t={t} (now {now.ToUnixTimeSeconds()})");
            }

            return ParseEvent(root, provider, now);
        }
    }

    private bool SignMatches(string t, string sign)
    {
        if (sign.Length != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[VendorHashes.Md5Size];
        Hash(_key, t, expected);
        Span<byte> given = stackalloc byte[VendorHashes.Md5Size];
        for (int i = 0; i < given.Length; i++)
        {
            int hi = HexValue(sign[2 * i]);
            int lo = HexValue(sign[(2 * i) + 1]);
            if (hi < 0 || lo < 0)
            {
                return false;
            }

            given[i] = (byte)((hi << 4) | lo);
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static void Hash(ReadOnlySpan<byte> key, string t, Span<byte> hash)
    {
        byte[] input = new byte[key.Length + Encoding.UTF8.GetByteCount(t)];
        key.CopyTo(input);
        Encoding.UTF8.GetBytes(t, input.AsSpan(key.Length));
        VendorHashes.Md5(input, hash);
        CryptographicOperations.ZeroMemory(input);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static StreamEvent ParseEvent(JsonElement root, string provider, DateTimeOffset now)
    {
        string eventType = Text(root, "event_type") ?? throw Refused("it has no 'event_type'");
        string app = Text(root, "appname") ?? throw Refused("it has no 'appname'");
        string name = Text(root, "stream_id") ?? Text(root, "channel_id") ?? throw Refused("it has no 'stream_id'");
        StreamId stream;
        try
        {
            stream = new StreamId(app, name);
        }
        catch (ArgumentException ex)
        {
            throw Refused("it names an invalid stream", ex);
        }

        string domain = Text(root, "app") ?? string.Empty;
        DateTimeOffset occurredAt = Long(root, "event_time") is long et and > 0 ? DateTimeOffset.FromUnixTimeSeconds(et) : now;
        string? clientIp = Text(root, "user_ip");
        string key = $"tencent:{eventType}:{domain}/{stream}";

        switch (eventType)
        {
            case "1":
            case "0":
                return new StreamEvent(
                    provider,
                    eventType == "1" ? StreamEventKind.Published : StreamEventKind.Unpublished,
                    stream,
                    occurredAt,
                    $"{key}:{Text(root, "sequence")}:{Text(root, "event_time")}")
                { ClientAddress = clientIp };

            case "100":
                string videoUrl = Text(root, "video_url") ?? throw Refused("the recording event has no 'video_url'");
                if (!Uri.TryCreate(videoUrl, UriKind.Absolute, out Uri? url))
                {
                    throw Refused("the recording event's 'video_url' is not an absolute URL");
                }

                long duration = Long(root, "duration") ?? 0;
                long? endTime = Long(root, "end_time");
                long? startTime = Long(root, "start_time");
                DateTimeOffset start = endTime is long end and > 0
                    ? DateTimeOffset.FromUnixTimeSeconds(end - duration) // the doc: content start = end_time − duration
                    : startTime is long s and > 0 ? DateTimeOffset.FromUnixTimeSeconds(s) : occurredAt;
                string format = Text(root, "file_format") ?? Path.GetExtension(url.AbsolutePath).TrimStart('.');
                var file = new RecordedFile(stream, url, start, TimeSpan.FromSeconds(duration), Long(root, "file_size"), format == "hls" ? "m3u8" : format);
                string fileKey = Text(root, "file_id") ?? Text(root, "record_file_id") ?? videoUrl;
                return new StreamEvent(provider, StreamEventKind.RecordingReady, stream, endTime is long e2 and > 0 ? DateTimeOffset.FromUnixTimeSeconds(e2) : occurredAt, $"{key}:{fileKey}")
                {
                    Recording = file,
                };

            case "200":
                string? pic = Text(root, "pic_full_url") ?? Text(root, "pic_url");
                Uri? picUrl = pic is not null && Uri.TryCreate(pic, UriKind.Absolute, out Uri? p) ? p : null;
                DateTimeOffset created = Long(root, "create_time") is long ct and > 0 ? DateTimeOffset.FromUnixTimeSeconds(ct) : occurredAt;
                return new StreamEvent(provider, StreamEventKind.SnapshotReady, stream, created, $"{key}:{pic ?? Text(root, "create_time")}")
                {
                    SnapshotUrl = picUrl,
                };

            default:
                throw new NotSupportedException($"The {provider} provider does not model callback event_type {eventType}.");
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static long? Long(JsonElement e, string name) =>
        long.TryParse(Text(e, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : null;

    private static CallbackVerificationException Refused(string why, Exception? inner = null) =>
        new($"Tencent callback refused: {why}.", inner) { Provider = TencentOptions.ProviderName };
}
