using System.Globalization;
using LiveCloud.LiveRooms.Tests.Hostile;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Emulators.Nginx;
using LiveCloud.Testing.Emulators.Tencent;
using static LiveCloud.LiveRooms.Tests.Fuzz.Hostile;

namespace LiveCloud.LiveRooms.Tests.Fuzz;

/// <summary>The streams the fuzzed app knows, per provider: some rooms idle, some ended.</summary>
/// <param name="Known">Stream names of rooms owned by the provider.</param>
/// <param name="OtherProviders">Stream names of rooms owned by other providers (events for them must not apply).</param>
internal sealed record FuzzWorld(IReadOnlyList<string> Known, IReadOnlyList<string> OtherProviders);

/// <summary>
/// Hostile callbacks for each provider, in classes: unsigned (random bytes in any content type, deep JSON, lone
/// surrogates, repeated headers and query keys, forged and stale signatures: 403), oversized (413), framing abuse
/// (4xx), and signed-but-hostile, signed here with each vendor's rule by the emulators' own code so that the parsers
/// behind the signature are reached: verified unmodelled (2xx), malformed (400) and hostile (any 4xx or 2xx).
/// </summary>
internal static class CallbackCases
{
    public static readonly string[] Providers = ["Nginx", "Tencent", "Aliyun", "Qiniu"];

    private static readonly int[] Unsigned = [403];
    private static readonly int[] TooLarge = [413];
    private static readonly int[] Malformed = [400];
    private static readonly int[] Acknowledged = [204];
    private static readonly int[] AnyAnswer = [];

    public static FuzzCase Make(string provider, Random r, FuzzWorld world, DateTimeOffset now) => provider switch
    {
        "Nginx" => Nginx(r, world, now),
        "Tencent" => Tencent(r, world, now),
        "Aliyun" => Aliyun(r, world, now),
        "Qiniu" => Qiniu(r, world, now),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    // The path with the provider in any letter case, sometimes with a query of repeated junk keys.
    private static string PathOf(Random r, string provider, string? query = null)
    {
        string name = r.Next(3) switch { 0 => provider.ToLowerInvariant(), 1 => provider.ToUpperInvariant(), _ => provider };
        return "/api/callbacks/" + name + (query is null ? string.Empty : "?" + query);
    }

    private static string Stream(Random r, FuzzWorld world) => r.Next(10) switch
    {
        < 6 => r.Pick(world.Known),
        < 8 => r.Pick(world.OtherProviders),
        _ => "room_unknown_" + r.Next(1000).ToString(CultureInfo.InvariantCulture),
    };

    private static string ContentType(Random r) => r.Pick(ContentTypes);

    // What can stand in a header value (framing abuse is a class of its own).
    private static string Printable(string text) => new([.. text.Where(c => c is >= ' ' and < '\x7f')]);

    private static List<(string, string)> JunkHeaders(Random r)
    {
        var headers = new List<(string, string)>();
        for (int i = r.Next(4); i > 0; i--)
        {
            headers.Add((r.Pick(["Content-Type", "X-Forwarded-For", "Cookie", "Authorization", "Accept", "X-Reqid", "User-Agent"]), r.Pick(["a", "application/json", "1.2.3.4, 5.6.7.8", "Bearer x", "Qiniu x:y", new string('x', 500)])));
        }

        return headers;
    }

    // Classes shared by every provider; null when the draw falls to the provider's own classes.
    private static FuzzCase? Common(Random r, string provider, int draw)
    {
        switch (draw)
        {
            case < 8:
                var headers = JunkHeaders(r);
                headers.Add(("Content-Type", ContentType(r)));
                return new FuzzCase("unsigned-random-bytes", new RawRequest { Target = PathOf(r, provider), Headers = headers, Body = Bytes(r, r.Next(0, 4096)), Chunked = r.Next(4) == 0 }, Unsigned);
            case < 12:
                return new FuzzCase("oversized", new RawRequest { Target = PathOf(r, provider), Headers = [("Content-Type", ContentType(r))], Body = Oversized(r), Chunked = r.Next(3) == 0 }, TooLarge);
            case < 15:
                byte[] deep = Utf8(Deep(r, r.Next(2) == 0 ? 30_000 : r.Next(33, 2000)));
                return new FuzzCase("deep-json-unsigned", new RawRequest { Target = PathOf(r, provider), Headers = [("Content-Type", "application/json")], Body = deep }, deep.Length > 64 * 1024 ? TooLarge : Unsigned);
            case < 20:
                string json = r.Pick(["{\"t\":\"\\ud800\"}", "{\"t\":\"\\udfff\",\"x\":1}", "{\"\\ud800\":1,\"token\":\"x\"}", "{\"sign\":\"\\udc00\\ud800\",\"t\":1}", Obj([("token", J(Text(r))), ("status", J(Text(r)))])]);
                byte[] body = r.Next(4) == 0 ? [.. Utf8("{\"t\":\""), 0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, .. Utf8("\"}")] : Utf8(json);
                return new FuzzCase("lone-surrogate-unsigned", new RawRequest { Target = PathOf(r, provider), Headers = [("Content-Type", "application/json")], Body = body }, Unsigned);
            case < 25:
                return Hostile.Framing(r, PathOf(r, provider));
            default:
                return null;
        }
    }

    // ---- nginx-rtmp hooks: form POSTs to ?lc_hook={token} ----

    private static FuzzCase Nginx(Random r, FuzzWorld world, DateTimeOffset now)
    {
        int draw = r.Next(100);
        if (Common(r, "nginx", draw) is { } common)
        {
            return common;
        }

        string token = CloudRoomsHost.NginxHookToken;
        long e = now.AddMinutes(30).ToUnixTimeSeconds();
        string stream = Stream(r, world);
        List<(string, string)> Fields(string call, string name, long expires, string? sig) =>
        [
            ("app", "live"), ("flashver", "FMLE/3.0"), ("tcurl", "rtmp://127.0.0.1/live"), ("addr", "127.0.0.1"),
            ("clientid", r.Next(1, 100_000).ToString(CultureInfo.InvariantCulture)), ("call", call), ("name", name),
            ("e", expires.ToString(CultureInfo.InvariantCulture)), ("sig", sig ?? NginxRtmpEmulator.Signature(CloudRoomsHost.NginxSigningKey, "publish", "live", name, expires)),
        ];
        FuzzCase Hook(string cls, List<(string, string)> fields, int[] allowed, string? query = null) =>
            new(cls, new RawRequest { Target = PathOf(r, "nginx", query ?? "lc_hook=" + Escape(token)), Headers = [("Content-Type", "application/x-www-form-urlencoded")], Body = Utf8(Form(fields)) }, allowed);

        switch (draw)
        {
            case < 35:
                string query = r.Next(4) switch
                {
                    0 => "lc_hook=" + Hex(r, 32),
                    1 => "lc_hook=" + Escape(token) + "&lc_hook=" + Escape(token),
                    2 => "x=1&x=2&x=3",
                    _ => string.Empty,
                };
                return Hook("unsigned-hook", Fields(r.Pick(["publish", "publish_done", "play", "record_done", "update"]), stream, e, null), Unsigned, query);
            case < 50:
                return Hook("signed-unmodelled", Fields(r.Pick(["update", "play_done", "done", "connect", "disconnect", "x" + r.Next(1000)]), stream, e, null), Acknowledged);
            case < 62:
                List<(string, string)> bad = Fields(r.Pick(["publish", "publish_done", "play", "update", "record_done"]), "x", e, "x");
                int at = bad.FindIndex(f => f.Item1 == "name");
                bad[at] = ("name", r.Next(3) == 0 ? RawEscape(r) : r.Pick(InvalidNames));
                return Hook("signed-malformed", bad, Malformed);
            case < 72:
                List<(string, string)> wrongSig = Fields("publish", stream, r.Next(2) == 0 ? now.AddMinutes(-5).ToUnixTimeSeconds() : e, r.Next(2) == 0 ? Hex(r, 32) : null);
                if (wrongSig[^1].Item2.Length == 43 && r.Next(2) == 0)
                {
                    wrongSig[^1] = ("sig", NginxRtmpEmulator.Signature(CloudRoomsHost.NginxSigningKey, "publish", "live", "other_stream", e));
                }

                bool valid = wrongSig[^2].Item2 == e.ToString(CultureInfo.InvariantCulture) && wrongSig[^1].Item2 == NginxRtmpEmulator.Signature(CloudRoomsHost.NginxSigningKey, "publish", "live", stream, e);
                return Hook("signed-hook-bad-url-signature", wrongSig, valid ? AnyAnswer : Unsigned);
            case < 80:
                List<(string, string)> record = Fields("record_done", stream, e, null);
                record.Add(("path", r.Pick(["/etc/passwd", "../../../etc/shadow", "/tmp/" + stream + "-1.flv", stream + "-99999999999999999999.flv", "\0", string.Empty, new string('/', 3000), "%raw:%00"])));
                return Hook("signed-record-done-hostile-path", record, Unsigned);
            case < 85:
                List<(string, string)> otherApp = Fields(r.Pick(["publish", "play", "update"]), stream, e, null);
                otherApp[0] = ("app", r.Pick(["other", "live2", "LIVE"]));
                return Hook("signed-other-app", otherApp, Unsigned);
            default:
                List<(string, string)> hostile = Fields(r.Pick(["publish", "publish_done", "play", "publish", "publish_done"]), stream, e, null);
                for (int i = r.Next(3); i > 0; i--)
                {
                    hostile.Insert(r.Next(hostile.Count), (r.Pick(["call", "name", "app", "clientid", "x"]), r.Next(2) == 0 ? Text(r) : RawEscape(r)));
                }

                return Hook("signed-hostile", hostile, AnyAnswer);
        }
    }

    // ---- Tencent: JSON POST with sign = md5(CallbackKey + t) ----

    private static FuzzCase Tencent(Random r, FuzzWorld world, DateTimeOffset now)
    {
        int draw = r.Next(100);
        if (Common(r, "tencent", draw) is { } common)
        {
            return common;
        }

        long t = now.AddMinutes(10).ToUnixTimeSeconds();
        string stream = Stream(r, world);
        List<(string, string)> Body(string eventType, string name, long expiry, string? sign) =>
        [
            ("app", J(TencentApiEmulator.PushDomain)), ("appid", "1250000000"), ("appname", J("live")), ("channel_id", J(name)),
            ("event_time", Unix(now)), ("event_type", eventType), ("sequence", J(r.Next().ToString(CultureInfo.InvariantCulture))),
            ("stream_id", J(name)), ("stream_param", J("txSecret=abc&txTime=ffffffff")), ("user_ip", J("1.2.3.4")),
            ("sign", J(sign ?? TencentApiEmulator.CallbackSign(CloudRoomsHost.TencentCallbackKey, expiry))),
            ("t", r.Next(3) == 0 ? J(expiry.ToString(CultureInfo.InvariantCulture)) : expiry.ToString(CultureInfo.InvariantCulture)),
        ];
        FuzzCase Post(string cls, List<(string, string)> body, int[] allowed) =>
            new(cls, new RawRequest { Target = PathOf(r, "tencent"), Headers = [("Content-Type", r.Next(5) == 0 ? ContentType(r) : "application/json")], Body = Utf8(Obj(body)), Chunked = r.Next(5) == 0 }, allowed);
        string AnyType() => r.Pick(["1", "0", "100", "200", "321", "332", "\"1\"", "\"0\""]);

        switch (draw)
        {
            case < 35:
                return r.Next(2) == 0
                    ? Post("forged-sign", Body(AnyType(), stream, t, r.Next(3) == 0 ? Text(r, 32) : Hex(r, 16)), Unsigned)
                    : Post("stale-sign", Body(AnyType(), stream, now.AddMinutes(-r.Next(2, 60 * 24)).ToUnixTimeSeconds(), null), Unsigned);
            case < 50:
                string unmodelled = r.Pick(["314", "317", "315", "331", "2", "3", "101", "300", "999", "\"321\"", "\"abc\"", "-1", "1.5", "99999999999999999999", r.Next().ToString(CultureInfo.InvariantCulture)]);
                return Post("signed-unmodelled", Body(unmodelled, stream, t, null), Acknowledged);
            case < 65:
                List<(string, string)> bad = Body(AnyType(), stream, t, null);
                switch (r.Next(4))
                {
                    case 0:
                        bad.RemoveAll(f => f.Item1 == "event_type");
                        break;
                    case 1:
                        bad.RemoveAll(f => f.Item1 is "stream_id" or "channel_id");
                        bad.Add(("stream_id", J(r.Pick(InvalidNames))));
                        break;
                    case 2:
                        bad.RemoveAll(f => f.Item1 == "appname");
                        bad.Add(("appname", J(r.Pick(["\ud800", "a/b", "", "live app"]))));
                        break;
                    default:
                        bad.RemoveAll(f => f.Item1 == "event_type");
                        bad.Add(("event_type", J("\udfff")));
                        break;
                }

                return Post("signed-malformed", bad, Malformed);
            case < 80:
                List<(string, string)> recording = Body("100", stream, t, null);
                recording.Add(("video_url", J(r.Pick(["http://[::1", "http://a:99999999/x.flv", "relative/path.mp4", "javascript:alert(1)", "https://vod.example.com/" + new string('v', r.Next(0, 3000)) + ".mp4", "\ud800", "", "http://vod.example.com/" + r.Next() + ".flv"]))));
                recording.Add(("duration", r.Pick(["1e300", "\"1e300\"", "\"Infinity\"", "-5", "\"abc\"", "3600", "604801", "null", "1.5"])));
                recording.Add(("file_id", J(r.Next().ToString(CultureInfo.InvariantCulture))));
                recording.Add(("file_size", r.Pick(["-1", "1e300", "\"big\"", "123456"])));
                recording.Add(("end_time", r.Pick(["99999999999999", "-1", "0", Unix(now)])));
                recording.Add(("file_format", J(r.Pick(["flv", "hls", "mp4", Text(r)]))));
                return Post("signed-recording-hostile", recording, AnyAnswer);
            default:
                List<(string, string)> hostile = Body(AnyType(), r.Next(3) == 0 ? r.Pick(OddNames) : stream, t, null);
                for (int i = r.Next(1, 4); i > 0; i--)
                {
                    hostile.Insert(r.Next(hostile.Count), (r.Pick(["errmsg", "errcode", "event_type", "stream_id", "sequence", "event_time", "pic_url", "record_event", "x\ud800"]), r.Pick([J(Text(r)), Deep(r, 5), "null", "true", "1e400", "-0", "[]"])));
                }

                return Post("signed-hostile", hostile, AnyAnswer);
        }
    }

    // ---- Aliyun: ingest GETs (fields in the query) and recording POSTs (JSON), both signed md5(domain|timestamp|key) ----

    private static FuzzCase Aliyun(Random r, FuzzWorld world, DateTimeOffset now)
    {
        int draw = r.Next(100);
        if (Common(r, "aliyun", draw) is { } common)
        {
            return common;
        }

        string stream = Stream(r, world);
        List<(string, string)> Signed(string domain, DateTimeOffset at, string? signature = null)
        {
            string ts = Unix(at);
            return [("ALI-LIVE-TIMESTAMP", ts), ("ALI-LIVE-SIGNATURE", signature ?? AliyunLiveEmulator.CallbackSignature(domain, ts, CloudRoomsHost.AliyunCallbackKey))];
        }

        List<(string, string)> Ingest(string action, string name) =>
        [
            ("action", action), ("app", CloudRoomsHost.AliyunPushDomain), ("appname", "live"), ("id", name),
            ("ip", "42.120.74.183"), ("node", "cdnvideocenter"), ("time", Unix(now.AddSeconds(-r.Next(0, 600)))),
            ("usrargs", "auth_key=1-0-0-abc&x=1"),
        ];
        FuzzCase Get(string cls, List<(string, string)> query, List<(string, string)> headers, int[] allowed) =>
            new(cls, new RawRequest { Method = "GET", Target = PathOf(r, "aliyun", Form(query)), Headers = headers }, allowed);

        // Recording callbacks are signed with the callback URL's host: here, Kestrel's 127.0.0.1.
        List<(string, string)> Recording(string name) =>
        [
            ("domain", J(CloudRoomsHost.AliyunPushDomain)), ("app", J("live")), ("stream", J(name)),
            ("uri", J($"record/live/{name}/2024-05-01-07-58-00_2024-05-01-08-58-00.flv")),
            ("duration", "3600.5"), ("start_time", Unix(now.AddHours(-1))), ("stop_time", Unix(now)),
        ];
        FuzzCase Post(string cls, List<(string, string)> body, List<(string, string)> headers, int[] allowed)
        {
            headers.Add(("Content-Type", "application/json"));
            return new(cls, new RawRequest { Target = PathOf(r, "aliyun"), Headers = headers, Body = Utf8(Obj(body)) }, allowed);
        }

        switch (draw)
        {
            case < 33:
                return r.Next(4) switch
                {
                    0 => Get("unsigned-ingest", Ingest("publish", stream), [], Unsigned),
                    1 => Get("forged-ingest", Ingest(r.Pick(["publish", "publish_done"]), stream), Signed(CloudRoomsHost.AliyunPushDomain, now, Hex(r, 16)), Unsigned),
                    2 => Get("stale-ingest", Ingest("publish", stream), Signed(CloudRoomsHost.AliyunPushDomain, now.AddMinutes(-r.Next(6, 600))), Unsigned),
                    _ => Post("forged-recording", Recording(stream), Signed(r.Pick(["127.0.0.1", "evil.example", CloudRoomsHost.AliyunPushDomain]), now, r.Next(2) == 0 ? Hex(r, 16) : Printable(Text(r, 32))), Unsigned),
                };
            case < 47:
                return r.Next(2) == 0
                    ? Get("signed-unmodelled", Ingest(r.Pick(["publish_pause", "update", "record", "x" + r.Next(100)]), stream), Signed(CloudRoomsHost.AliyunPushDomain, now), Acknowledged)
                    : Post("signed-unmodelled", [.. Recording(stream).Take(3), ("event", J(r.Pick(["record_error", "record_stopped", "record_paused", "record_started", "x" + r.Next(100)])))], Signed("127.0.0.1", now), Acknowledged);
            case < 62:
                if (r.Next(2) == 0)
                {
                    List<(string, string)> ingest = Ingest(r.Pick(["publish", "publish_done"]), stream);
                    switch (r.Next(3))
                    {
                        case 0: ingest[3] = ("id", r.Next(3) == 0 ? RawEscape(r) : r.Pick(InvalidNames)); break;
                        case 1: ingest[6] = ("time", r.Pick(["abc", "-1", "99999999999999999999", "1e10", "0"])); break;
                        default: ingest.RemoveAt(r.Next(2) == 0 ? 0 : 3); break;
                    }

                    return Get("signed-malformed-ingest", ingest, Signed(CloudRoomsHost.AliyunPushDomain, now), Malformed);
                }

                List<(string, string)> bad = Recording(stream);
                switch (r.Next(4))
                {
                    case 0: bad[3] = ("uri", J(r.Pick(["http://[::1", "http://a:99999999/", "ftp://x/y.flv", "", "/", "\ud800.flv"]))); break;
                    case 1: bad[4] = ("duration", r.Pick(["1e300", "\"1e300\"", "\"Infinity\"", "\"NaN\"", "-1", "\"abc\"", "604801"])); break;
                    case 2: bad[5] = ("start_time", r.Pick(["1e300", "\"Infinity\"", "-5", "\"abc\"", "253402300800"])); break;
                    default: bad[2] = ("stream", J(r.Pick(InvalidNames))); break;
                }

                return Post("signed-malformed-recording", bad, Signed("127.0.0.1", now), Malformed);
            case < 75:
                // What Aliyun really sends when RecordingBaseUrl is unset: an OSS object path (relative).
                return Post("signed-recording-relative-uri", Recording(stream), Signed("127.0.0.1", now), AnyAnswer);
            default:
                if (r.Next(2) == 0)
                {
                    List<(string, string)> query = Ingest(r.Pick(["publish", "publish_done"]), r.Next(3) == 0 ? r.Pick(OddNames) : stream);
                    for (int i = r.Next(1, 4); i > 0; i--)
                    {
                        query.Insert(r.Next(query.Count), (r.Pick(["action", "id", "appname", "time", "x"]), r.Next(2) == 0 ? Text(r) : RawEscape(r)));
                    }

                    return Get("signed-hostile-ingest", query, Signed(CloudRoomsHost.AliyunPushDomain, now), AnyAnswer);
                }

                List<(string, string)> hostile = Recording(r.Next(3) == 0 ? r.Pick(OddNames) : stream);
                for (int i = r.Next(1, 4); i > 0; i--)
                {
                    hostile.Insert(r.Next(hostile.Count), (r.Pick(["uri", "duration", "stream", "event", "start_time", "stop_time", "\ud800"]), r.Pick([J(Text(r)), Deep(r, 5), "null", "1e400", "[]", "{}"])));
                }

                return Post("signed-hostile-recording", hostile, Signed("127.0.0.1", now), AnyAnswer);
        }
    }

    // ---- Qiniu: JSON (or form, or GET) with the shared token ----

    private static FuzzCase Qiniu(Random r, FuzzWorld world, DateTimeOffset now)
    {
        int draw = r.Next(100);
        if (Common(r, "qiniu", draw) is { } common)
        {
            return common;
        }

        string token = CloudRoomsHost.QiniuCallbackToken;
        string stream = Stream(r, world);
        List<(string, string)> Body(string status, string title, string? tokenValue) =>
        [
            ("status", J(status)), ("title", J(title)), ("timestamp", J(Unix(now.AddSeconds(-r.Next(0, 600))))), ("ip", J("22.73.202.226")),
            .. tokenValue is null ? Array.Empty<(string, string)>() : [("token", J(tokenValue))],
        ];
        FuzzCase Send(string cls, List<(string, string)> jsonBody, int[] allowed, string? query = null)
        {
            switch (r.Next(4))
            {
                case 0:
                    // The same fields as a form.
                    var form = jsonBody.Select(f => (f.Item1, f.Item2.StartsWith('"') ? System.Text.RegularExpressions.Regex.Unescape(f.Item2[1..^1]) : f.Item2)).ToList();
                    return new(cls, new RawRequest { Target = PathOf(r, "qiniu", query), Headers = [("Content-Type", "application/x-www-form-urlencoded")], Body = Utf8(Form(form)) }, allowed);
                default:
                    return new(cls, new RawRequest { Target = PathOf(r, "qiniu", query), Headers = [("Content-Type", r.Next(6) == 0 ? ContentType(r) : "application/json")], Body = Utf8(Obj(jsonBody)) }, allowed);
            }
        }

        switch (draw)
        {
            case < 35:
                return r.Next(3) switch
                {
                    0 => Send("unsigned", Body(r.Pick(["connected", "disconnected"]), stream, null), Unsigned),
                    1 => Send("wrong-token", Body(r.Pick(["connected", "disconnected"]), stream, r.Next(2) == 0 ? Hex(r, 16) : token + "x"), Unsigned),
                    _ => Send("wrong-token-in-query", Body("connected", stream, null), Unsigned, "token=" + Escape(r.Next(2) == 0 ? token.ToUpperInvariant() : Hex(r, 8)) + (r.Next(2) == 0 ? "&token=" + Escape(token) : string.Empty)),
                };
            case < 50:
                return Send("signed-unmodelled", Body(r.Pick(["transcoding", "record", "x" + r.Next(100), "CONNECTED?", "paused"]), stream, token), Acknowledged);
            case < 65:
                List<(string, string)> bad = Body(r.Pick(["connected", "disconnected"]), stream, token);
                switch (r.Next(4))
                {
                    case 0: bad[1] = ("title", J(r.Pick([.. InvalidNames.Where(n => n.Length > 0 && n.Trim().Length > 0), "ab", "abc"]))); break;
                    case 1: bad[2] = ("timestamp", J(r.Pick(["abc", "-1", "1e10", "99999999999999999999"]))); break;
                    case 2: bad.RemoveAt(r.Next(2)); break;
                    default: bad[1] = ("title", J("\ud800" + stream)); break;
                }

                return Send("signed-malformed", bad, Malformed);
            default:
                List<(string, string)> hostile = Body(r.Pick(["connected", "disconnected", "connect"]), r.Next(3) == 0 ? r.Pick(OddNames) : stream, token);
                for (int i = r.Next(1, 4); i > 0; i--)
                {
                    hostile.Insert(r.Next(hostile.Count), (r.Pick(["status", "title", "timestamp", "startTime", "endTime", "x", "ip"]), r.Pick([J(Text(r)), Deep(r, 4), "null", "1e400", "[]", "12"])));
                }

                return Send("signed-hostile", hostile, AnyAnswer, r.Next(4) == 0 ? "token=" + Escape(token) : null);
        }
    }
}
