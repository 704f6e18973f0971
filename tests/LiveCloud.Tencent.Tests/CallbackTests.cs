using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>Callback verification (sign = md5(CallbackKey + t), t an expiry) and parsing into StreamEvents.</summary>
public sealed class CallbackTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1700000000));
    private readonly TencentStreamProvider _provider;

    public CallbackTests() => _provider = TencentTestSetup.Provider(TencentTestSetup.Options(new Uri("http://127.0.0.1:9/")), _clock);

    [Theory]
    [InlineData("mycallbackkey", "1545030873", "37fc751536de18d37f781e3ff8a5d3f2")]
    [InlineData("3a5e7f0c9b1d", "1700000600", "ab33e2437ba5ed342b8e169a8b17cc93")]
    [InlineData("", "1700000600", "5ebd8362121e0bc17b5f2c6bd90dc0b2")]
    public void Sign_vectors_match(string key, string t, string sign) =>
        TencentCallbackVerifier.ComputeSign(key, t).Should().Be(sign);

    private static CallbackRequest Request(JsonObject body) => new() { Method = "POST", ContentType = "application/json", Body = body.ToJsonString() };

    private static JsonObject Push(int eventType, long t, string? sign = null, string sequence = "6674468118806626493") => new()
    {
        ["app"] = "push.example.com",
        ["appid"] = 12345678,
        ["appname"] = "live",
        ["channel_id"] = "test_stream",
        ["errcode"] = 0,
        ["errmsg"] = "ok",
        ["event_time"] = 1699999990,
        ["event_type"] = eventType,
        ["node"] = "100.121.160.92",
        ["sequence"] = sequence,
        ["stream_id"] = "test_stream",
        ["stream_param"] = "stream_param=test",
        ["user_ip"] = "119.29.94.245",
        ["sign"] = sign ?? TencentCallbackVerifier.ComputeSign(TencentTestSetup.CallbackKey, t.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["t"] = t,
    };

    [Fact]
    public async Task Good_sign_parses_a_push_start()
    {
        StreamEvent e = await _provider.ParseCallbackAsync(Request(Push(1, 1700000600)));
        e.Provider.Should().Be("Tencent");
        e.Kind.Should().Be(StreamEventKind.Published);
        e.Stream.Should().Be(new StreamId("live", "test_stream"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1699999990));
        e.ClientAddress.Should().Be("119.29.94.245");
    }

    [Fact]
    public async Task Push_end_is_unpublished_with_its_own_event_id()
    {
        StreamEvent start = await _provider.ParseCallbackAsync(Request(Push(1, 1700000600)));
        StreamEvent end = await _provider.ParseCallbackAsync(Request(Push(0, 1700000600)));
        end.Kind.Should().Be(StreamEventKind.Unpublished);
        end.EventId.Should().NotBe(start.EventId);
    }

    [Fact]
    public async Task Bad_sign_is_refused()
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Request(Push(1, 1700000600, sign: "ca3e25e5dc17a6f9909a9ae7281e300d")));
        (await parse.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("sign").And.NotContain(TencentTestSetup.CallbackKey);
    }

    [Fact]
    public async Task Sign_for_another_t_is_refused()
    {
        JsonObject body = Push(1, 1700000600);
        body["t"] = 1700000601;
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Request(body));
        await parse.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Fact]
    public async Task Stale_t_is_refused_but_skew_is_tolerated()
    {
        // t is the expiry: 60 s ago is past the 30 s skew allowance; 10 s ago is within it.
        Func<Task> stale = async () => await _provider.ParseCallbackAsync(Request(Push(1, 1700000000 - 60)));
        (await stale.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("expired");
        StreamEvent e = await _provider.ParseCallbackAsync(Request(Push(1, 1700000000 - 10)));
        e.Kind.Should().Be(StreamEventKind.Published);
    }

    [Fact]
    public async Task Redelivery_gives_the_same_event_id_and_another_push_a_different_one()
    {
        StreamEvent first = await _provider.ParseCallbackAsync(Request(Push(1, 1700000600)));
        _clock.Advance(TimeSpan.FromSeconds(60));
        StreamEvent again = await _provider.ParseCallbackAsync(Request(Push(1, 1700000660))); // Tencent retries 60 s later, re-signed
        again.EventId.Should().Be(first.EventId);
        StreamEvent other = await _provider.ParseCallbackAsync(Request(Push(1, 1700000660, sequence: "1")));
        other.EventId.Should().NotBe(first.EventId);
    }

    private static JsonObject Recording(long t, string fileId = "5285890781763144364") => new()
    {
        ["app"] = "push.example.com",
        ["appname"] = "live",
        ["stream_id"] = "test_stream",
        ["channel_id"] = "test_stream",
        ["event_type"] = 100,
        ["file_id"] = fileId,
        ["file_format"] = "mp4",
        ["task_id"] = "task-1",
        ["start_time"] = 1699996000,
        ["end_time"] = 1699999600,
        ["duration"] = 3590,
        ["file_size"] = 123456789,
        ["video_url"] = "http://1253456.vod2.myqcloud.com/e12fcf1/f0/test_stream.mp4",
        ["sign"] = TencentCallbackVerifier.ComputeSign(TencentTestSetup.CallbackKey, t.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["t"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Recording_event_carries_url_duration_size_and_is_listed_once()
    {
        StreamEvent e = await _provider.ParseCallbackAsync(Request(Recording(1700000600)));
        e.Kind.Should().Be(StreamEventKind.RecordingReady);
        e.Recording.Should().NotBeNull();
        e.Recording!.PlaybackUrl.Should().Be(new Uri("http://1253456.vod2.myqcloud.com/e12fcf1/f0/test_stream.mp4"));
        e.Recording.Duration.Should().Be(TimeSpan.FromSeconds(3590));
        e.Recording.SizeBytes.Should().Be(123456789);
        e.Recording.Format.Should().Be("mp4");
        e.Recording.StartTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1699999600 - 3590), "the doc: start = end_time − duration");

        StreamEvent again = await _provider.ParseCallbackAsync(Request(Recording(1700000660)));
        again.EventId.Should().Be(e.EventId);
        await _provider.ParseCallbackAsync(Request(Recording(1700000660, fileId: "other")));

        List<RecordedFile> files = await _provider.ListRecordingsAsync(new StreamId("live", "test_stream")).ToListAsync();
        files.Should().HaveCount(2, "the redelivery is not a new file");
        (await _provider.ListRecordingsAsync(new StreamId("live", "test_stream"), since: DateTimeOffset.FromUnixTimeSeconds(1699999000)).ToListAsync()).Should().BeEmpty();
        (await _provider.ListRecordingsAsync(new StreamId("live", "other")).ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Snapshot_event_points_at_the_image()
    {
        var body = new JsonObject
        {
            ["appname"] = "live",
            ["stream_id"] = "test_stream",
            ["event_type"] = 200,
            ["create_time"] = 1699999900,
            ["pic_url"] = "/snapshot/test_stream-1699999900.jpg",
            ["pic_full_url"] = "https://snap.example.com/snapshot/test_stream-1699999900.jpg",
            ["sign"] = TencentCallbackVerifier.ComputeSign(TencentTestSetup.CallbackKey, "1700000600"),
            ["t"] = 1700000600,
        };
        StreamEvent e = await _provider.ParseCallbackAsync(Request(body));
        e.Kind.Should().Be(StreamEventKind.SnapshotReady);
        e.SnapshotUrl.Should().Be(new Uri("https://snap.example.com/snapshot/test_stream-1699999900.jpg"));
    }

    [Fact]
    public async Task Without_a_callback_key_callbacks_are_not_supported()
    {
        TencentStreamProvider provider = TencentTestSetup.Provider(TencentTestSetup.Options(new Uri("http://127.0.0.1:9/"), o => o.CallbackKey = null), _clock);
        provider.Capabilities.Supports(ProviderFeatures.Callbacks).Should().BeFalse();
        Func<Task> parse = async () => await provider.ParseCallbackAsync(Request(Push(1, 1700000600)));
        await parse.Should().ThrowAsync<NotSupportedException>().WithMessage("*Tencent*callbacks*");
    }

    [Theory]
    [InlineData(321)]
    [InlineData(314)]
    [InlineData(317)]
    [InlineData(315)]
    [InlineData(331)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(101)]
    [InlineData(300)]
    [InlineData(999)]
    public async Task Verified_events_of_other_types_are_handed_on_not_thrown(int eventType)
    {
        StreamEvent e = await _provider.ParseCallbackAsync(Request(Push(eventType, 1700000600)));
        e.VendorEventType.Should().Be(eventType.ToString(System.Globalization.CultureInfo.InvariantCulture));
        e.Kind.Should().Be(eventType == 321 ? StreamEventKind.PushAlert : StreamEventKind.Other);
        e.RawPayload.Should().Contain("\"event_type\":" + eventType).And.NotContain("\"sign\"").And.NotContain("\"t\"");
        e.Stream.Should().Be(new StreamId("live", "test_stream"));
        StreamEvent again = await _provider.ParseCallbackAsync(Request(Push(eventType, 1700000660)));
        again.EventId.Should().Be(e.EventId, "a redelivery keeps its id");
    }

    [Fact]
    public async Task An_event_type_sent_as_a_string_is_read_the_same()
    {
        JsonObject body = Push(1, 1700000600);
        body["event_type"] = "321";
        StreamEvent e = await _provider.ParseCallbackAsync(Request(body));
        e.Kind.Should().Be(StreamEventKind.PushAlert);
        e.Detail.Should().Be("0 ok", "the push exception's errcode and errmsg");
    }

    [Fact]
    public async Task Recording_status_events_say_what_happened()
    {
        JsonObject body = Push(332, 1700000600);
        body["record_event"] = "record_start_failed";
        body["task_id"] = "task-9";
        StreamEvent e = await _provider.ParseCallbackAsync(Request(body));
        e.Kind.Should().Be(StreamEventKind.RecordingStatusChanged);
        e.Detail.Should().Be("record_start_failed");
        e.SessionId.Should().Be("6674468118806626493");
    }

    [Theory]
    [InlineData("stream_id", "\ud800")]
    [InlineData("appname", "\udfff")]
    public async Task Undecodable_text_in_a_verified_callback_is_malformed_not_a_crash(string field, string escaped)
    {
        string body = Push(1, 1700000600).ToJsonString().Replace($"\"{field}\":\"", $"\"{field}\":\"{escaped}", StringComparison.Ordinal);
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(new CallbackRequest { Body = body, ContentType = "application/json" });
        (await parse.Should().ThrowAsync<ArgumentException>()).Which.Should().NotBeOfType<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("""{"t":"\ud800"}""")]
    [InlineData("""{"t":"1700000600","sign":"\udfff"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("not json")]
    [InlineData("""{"t":1e300,"sign":"x"}""")]
    public async Task Unsigned_or_undecodable_callbacks_are_refused_before_parsing(string body)
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(new CallbackRequest { Body = body, ContentType = "application/json" });
        await parse.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Theory]
    [InlineData("duration", "1e300")]
    [InlineData("duration", "-5")]
    [InlineData("duration", "99999999999999")]
    [InlineData("end_time", "99999999999999999")]
    [InlineData("video_url", "not a url")]
    public async Task Absurd_recording_fields_are_malformed(string field, string value)
    {
        JsonObject body = Recording(1700000600);
        body[field] = JsonNode.Parse(value.StartsWith("not", StringComparison.Ordinal) ? "\"" + value + "\"" : value);
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Request(body));
        if (field == "end_time")
        {
            // An end time beyond year 9999 is simply unknown; the start falls back to start_time.
            StreamEvent e = await _provider.ParseCallbackAsync(Request(body));
            e.Recording!.StartTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1699996000));
            return;
        }

        (await parse.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(field == "video_url" ? "video_url" : "duration");
    }

    [Fact]
    public async Task The_raw_payload_keeps_the_stream_parameters_but_not_the_push_signature()
    {
        JsonObject body = Push(1, 1700000600);
        body["stream_param"] = "txSecret=0123456789abcdef0123456789abcdef&txTime=5C2A3C7F&room=7";
        StreamEvent e = await _provider.ParseCallbackAsync(Request(body));
        e.RawPayload.Should().Contain("\"stream_param\":\"txTime=5C2A3C7F\\u0026room=7\"").And.NotContain("0123456789abcdef0123456789abcdef");
        using System.Text.Json.JsonDocument parsed = System.Text.Json.JsonDocument.Parse(e.RawPayload!);
        parsed.RootElement.GetProperty("event_type").GetInt32().Should().Be(1, "the payload stays valid JSON");
    }
}
