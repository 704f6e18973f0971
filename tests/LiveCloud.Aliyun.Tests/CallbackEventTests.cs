using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>
/// The callback rules of the adapter template: verified but unmodelled → <see cref="StreamEventKind.Other"/>; the
/// documented recording status events → <see cref="StreamEventKind.RecordingStatusChanged"/>; hostile fields →
/// <see cref="ArgumentException"/> naming the field once verified, <see cref="CallbackVerificationException"/> before.
/// </summary>
public sealed class CallbackEventTests
{
    private const string Key = "CallbackKey1234567890";
    private const long Now = 1714550400;
    private const string PushToken = "1714554000-0-0-0123456789abcdef0123456789abcdef";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(Now));

    private AliyunStreamProvider Provider(Action<AliyunOptions>? configure = null)
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), _clock);
    }

    private static Dictionary<string, string> Signed(string domain, long timestamp = Now) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["ALI-LIVE-TIMESTAMP"] = timestamp.ToString(CultureInfo.InvariantCulture),
        ["ALI-LIVE-SIGNATURE"] = AliyunCallbackVerifier.ComputeSignature(domain, timestamp.ToString(CultureInfo.InvariantCulture), Key),
    };

    private static CallbackRequest Ingest(string action, long signedAt = Now, Action<Dictionary<string, string>>? edit = null)
    {
        var query = new Dictionary<string, string>
        {
            ["action"] = action, ["app"] = "push.example.com", ["appname"] = "live", ["id"] = "room_1001", ["ip"] = "42.120.74.183",
            ["node"] = "cdnvideocenter010207116011.cm3", ["time"] = "1714550390", ["usrargs"] = $"vhost=push.example.com&auth_key={PushToken}&room=7",
        };
        edit?.Invoke(query);
        return new CallbackRequest { Method = "GET", Query = query, Headers = Signed("push.example.com", signedAt) };
    }

    private static CallbackRequest Recording(string body, long signedAt = Now) => new()
    {
        Method = "POST",
        ContentType = "application/json",
        Headers = new Dictionary<string, string>(Signed("hooks.example.com", signedAt), StringComparer.OrdinalIgnoreCase) { ["Host"] = "hooks.example.com" },
        Body = body,
    };

    private static CallbackRequest Unsigned(CallbackRequest request) =>
        request with { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = "hooks.example.com" } };

    private const string FileBody = """{"domain":"play.example.com","app":"live","stream":"room_1001","uri":"live/room_1001/0_2024-05-01-07:58:00_2024-05-01-07:59:09.flv","duration":69.403,"start_time":1714550280,"stop_time":1714550349}""";

    // ---- verified but not modelled: Other, acknowledged, never an exception ----

    [Theory]
    [InlineData("publish_failed")]
    [InlineData("dual_stream_switch")]
    public async Task An_unmodelled_ingest_action_is_other_with_its_type_and_payload_without_the_push_token(string action)
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Ingest(action));
        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be(action);
        e.Stream.Should().Be(new StreamId("live", "room_1001"));
        e.RawPayload.Should().Contain($"action={action}").And.Contain("node=cdnvideocenter010207116011.cm3").And.Contain("room%3D7");
        e.RawPayload.Should().NotContain(PushToken, "usrargs repeats the push URL's auth_key, a replayable push token")
            .And.NotContain(Signed("push.example.com")["ALI-LIVE-SIGNATURE"]);
        e.EventId.Should().StartWith("aliyun:");
    }

    [Fact]
    public async Task An_unmodelled_recording_event_is_other_with_its_type_and_the_body()
    {
        const string body = """{"domain":"play.example.com","app":"live","stream":"room_1001","event":"record_error","reason":"oss denied"}""";
        StreamEvent e = await Provider().ParseCallbackAsync(Recording(body));
        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("record_error");
        e.RawPayload.Should().Be(body);
        e.RawPayload.Should().NotContain(Signed("hooks.example.com")["ALI-LIVE-SIGNATURE"]);
    }

    [Fact]
    public async Task Modelled_events_carry_their_vendor_type_and_raw_payload_too()
    {
        StreamEvent publish = await Provider().ParseCallbackAsync(Ingest("publish"));
        publish.VendorEventType.Should().Be("publish");
        publish.RawPayload.Should().Contain("appname=live").And.NotContain(PushToken);

        StreamEvent file = await Provider().ParseCallbackAsync(Recording(FileBody));
        file.Kind.Should().Be(StreamEventKind.RecordingReady);
        file.VendorEventType.Should().Be(AliyunCallbackVerifier.RecordFileEventType);
        file.RawPayload.Should().Be(FileBody);
    }

    // ---- the documented status events (NeedStatusNotify) ----

    [Theory]
    [InlineData("record_started")]
    [InlineData("record_paused")]
    [InlineData("record_resumed")]
    public async Task Recording_status_events_are_recording_status_changes_with_the_word_as_detail(string word)
    {
        string body = $$"""{"domain":"play.example.com","app":"live","stream":"room_1001","event":"{{word}}"}""";
        StreamEvent e = await Provider().ParseCallbackAsync(Recording(body));
        e.Kind.Should().Be(StreamEventKind.RecordingStatusChanged);
        e.Detail.Should().Be(word);
        e.VendorEventType.Should().Be(word);
        e.Stream.Should().Be(new StreamId("live", "room_1001"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(Now));
        e.RawPayload.Should().Be(body);
    }

    // ---- hostile fields: 400 naming the field once verified, 403 before ----

    public static TheoryData<string, string> HostileRecordings => new()
    {
        { """{"domain":"d","app":"\ud800","stream":"s","uri":"a.flv"}""", "'app'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"live/\ud800.flv"}""", "'uri'" },
        { """{"domain":"d","app":"live","stream":"s","event":"record_\udc00"}""", "'event'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","duration":1e300}""", "'duration'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","duration":"1e300"}""", "'duration'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","duration":"Infinity"}""", "'duration'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","duration":1e400}""", "'duration'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","start_time":1e300}""", "'start_time'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","stop_time":99999999999999}""", "'stop_time'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"a.flv","stop_time":"-5"}""", "'stop_time'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"http://[::1"}""", "'uri'" },
        { """{"domain":"d","app":"live","stream":"s","uri":"http://a:99999999/"}""", "'uri'" },
    };

    [Theory]
    [MemberData(nameof(HostileRecordings))]
    public async Task A_hostile_recording_field_is_an_argument_error_naming_it_and_unsigned_it_is_refused(string body, string field)
    {
        foreach (Uri? baseUrl in new[] { null, new Uri("https://my-live-bucket.oss-cn-shanghai.aliyuncs.com/") })
        {
            AliyunStreamProvider provider = Provider(o => o.RecordingBaseUrl = baseUrl);
            Func<Task> signed = async () => await provider.ParseCallbackAsync(Recording(body));
            ArgumentException e = (await signed.Should().ThrowAsync<ArgumentException>()).Which;
            e.Should().BeOfType<ArgumentException>("not an ArgumentOutOfRangeException from a TimeSpan or DateTimeOffset");
            e.Message.Should().Contain(field);

            Func<Task> unsigned = async () => await provider.ParseCallbackAsync(Unsigned(Recording(body)));
            await unsigned.Should().ThrowAsync<CallbackVerificationException>();
        }
    }

    [Theory]
    [InlineData("time", "99999999999999")]
    [InlineData("time", "1e300")]
    [InlineData("appname", "\ud800")]
    [InlineData("id", "room\udfff")]
    public async Task A_hostile_ingest_field_is_an_argument_error_naming_it_and_unsigned_it_is_refused(string field, string value)
    {
        CallbackRequest request = Ingest("publish", edit: q => q[field] = value);
        Func<Task> signed = async () => await Provider().ParseCallbackAsync(request);
        ArgumentException e = (await signed.Should().ThrowAsync<ArgumentException>()).Which;
        e.Should().BeOfType<ArgumentException>();
        e.Message.Should().Contain(field == "time" ? "'time'" : "cannot represent");

        Func<Task> unsigned = async () => await Provider().ParseCallbackAsync(Unsigned(request));
        await unsigned.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_field_the_parser_does_not_read_is_kept_out_of_the_way()
    {
        const string body = """{"domain":"play.example.com","app":"live","stream":"room_1001","uri":"live/room_1001/a.flv","push_args":{"callback_x":"\ud800"}}""";
        StreamEvent e = await Provider().ParseCallbackAsync(Recording(body));
        e.Kind.Should().Be(StreamEventKind.RecordingReady);
        e.RawPayload.Should().Be(body);
    }

    // ---- recording URLs: relative object paths, absolute URLs ----

    [Fact]
    public async Task Without_a_base_url_the_playback_url_is_the_relative_object_path()
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Recording(FileBody.Replace("\"live/room_1001/", "\"/live/room_1001/", StringComparison.Ordinal)));
        Uri url = e.Recording!.PlaybackUrl;
        url.IsAbsoluteUri.Should().BeFalse();
        url.OriginalString.Should().Be("live/room_1001/0_2024-05-01-07:58:00_2024-05-01-07:59:09.flv");

        // An object name whose first segment holds ':' must not read as a URL scheme.
        StreamEvent colon = await Provider().ParseCallbackAsync(Recording("""{"app":"live","stream":"room_1001","uri":"rec2024-05-01-07:58:00.flv"}"""));
        colon.Recording!.PlaybackUrl.IsAbsoluteUri.Should().BeFalse();
        colon.Recording.PlaybackUrl.OriginalString.Should().EndWith("rec2024-05-01-07:58:00.flv");
    }

    [Fact]
    public async Task With_a_base_url_every_object_path_lands_under_it()
    {
        AliyunStreamProvider provider = Provider(o => o.RecordingBaseUrl = new Uri("https://cdn.example.com/records"));
        StreamEvent colon = await provider.ParseCallbackAsync(Recording("""{"app":"live","stream":"room_1001","uri":"rec2024-05-01-07:58:00.flv"}"""));
        colon.Recording!.PlaybackUrl.Should().Be(new Uri("https://cdn.example.com/records/rec2024-05-01-07:58:00.flv"));

        StreamEvent absolute = await provider.ParseCallbackAsync(Recording("""{"app":"live","stream":"room_1001","uri":"https://bucket.oss-cn-shanghai.aliyuncs.com/live/a.mp4?x-oss-expires=1"}"""));
        absolute.Recording!.PlaybackUrl.Should().Be(new Uri("https://bucket.oss-cn-shanghai.aliyuncs.com/live/a.mp4?x-oss-expires=1"));
        absolute.Recording.Format.Should().Be("mp4");
    }

    [Fact]
    public async Task Without_duration_the_length_is_stop_minus_start()
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Recording("""{"app":"live","stream":"room_1001","uri":"a.flv","start_time":1714550280,"stop_time":1714550349}"""));
        e.Recording!.Duration.Should().Be(TimeSpan.FromSeconds(69));
    }

    // ---- event ids ----

    [Fact]
    public async Task Redeliveries_share_an_event_id_and_different_events_do_not()
    {
        AliyunStreamProvider provider = Provider();
        string other = (await provider.ParseCallbackAsync(Ingest("publish_failed"))).EventId;
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await provider.ParseCallbackAsync(Ingest("publish_failed", Now + 2))).EventId.Should().Be(other, "a re-signed redelivery of an unmodelled action");
        (await provider.ParseCallbackAsync(Ingest("publish_failed", Now + 2, q => q["time"] = "1714550399"))).EventId.Should().NotBe(other);
        (await provider.ParseCallbackAsync(Ingest("publish_done", Now + 2))).EventId.Should().NotBe((await provider.ParseCallbackAsync(Ingest("publish", Now + 2))).EventId);

        string file = (await provider.ParseCallbackAsync(Recording(FileBody, Now + 2))).EventId;
        (await provider.ParseCallbackAsync(Recording(FileBody, Now + 1))).EventId.Should().Be(file);
        (await provider.ParseCallbackAsync(Recording(FileBody.Replace("07:59:09.flv", "08:00:00.flv", StringComparison.Ordinal), Now + 2))).EventId.Should().NotBe(file);

        const string paused = """{"domain":"play.example.com","app":"live","stream":"room_1001","event":"record_paused"}""";
        string pause = (await provider.ParseCallbackAsync(Recording(paused, Now + 2))).EventId;
        (await provider.ParseCallbackAsync(Recording(paused, Now + 2))).EventId.Should().Be(pause, "the same delivery parsed twice");
        (await provider.ParseCallbackAsync(Recording(paused.Replace("record_paused", "record_resumed", StringComparison.Ordinal), Now + 2))).EventId.Should().NotBe(pause);
        (await provider.ParseCallbackAsync(Recording(paused, Now + 60))).EventId.Should().NotBe(pause, "a later pause of the same stream is another event");
    }
}
