using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

public sealed class CallbackTests
{
    private const string Key = "CallbackKey1234567890";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1714550400));

    private AliyunStreamProvider Provider(Action<AliyunOptions>? configure = null)
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), _clock);
    }

    private static Dictionary<string, string> Signed(string domain, long timestamp, string key = Key) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["ALI-LIVE-TIMESTAMP"] = timestamp.ToString(CultureInfo.InvariantCulture),
        ["ALI-LIVE-SIGNATURE"] = AliyunCallbackVerifier.ComputeSignature(domain, timestamp.ToString(CultureInfo.InvariantCulture), key),
    };

    private static CallbackRequest Ingest(string action, long signedAt, string time = "1714550390", string domain = "push.example.com", string key = Key) => new()
    {
        Method = "GET",
        Query = new Dictionary<string, string>
        {
            ["action"] = action, ["app"] = "push.example.com", ["appname"] = "live", ["id"] = "room_1001", ["ip"] = "42.120.74.183",
            ["node"] = "cdnvideocenter010207116011.cm3", ["time"] = time, ["usrargs"] = "auth_key=1714554000-0-0-abc",
        },
        Headers = Signed(domain, signedAt, key),
    };

    [Fact]
    public async Task A_signed_publish_callback_parses()
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Ingest("publish", 1714550400));
        e.Provider.Should().Be("Aliyun");
        e.Kind.Should().Be(StreamEventKind.Published);
        e.Stream.Should().Be(new StreamId("live", "room_1001"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1714550390));
        e.ClientAddress.Should().Be("42.120.74.183");
        e.EventId.Should().StartWith("aliyun:");

        StreamEvent done = await Provider().ParseCallbackAsync(Ingest("publish_done", 1714550400));
        done.Kind.Should().Be(StreamEventKind.Unpublished);
        done.EventId.Should().NotBe(e.EventId);
    }

    [Fact]
    public async Task The_doc_signature_vector_verifies_end_to_end()
    {
        // C2: push.example.com|1714550400|CallbackKey1234567890
        CallbackRequest request = Ingest("publish", 1714550400) with
        {
            Headers = new Dictionary<string, string> { ["ali-live-timestamp"] = "1714550400", ["ali-live-signature"] = "66a2575b25b7d3a42333dfc6726063b8" },
        };
        (await Provider().ParseCallbackAsync(request)).Kind.Should().Be(StreamEventKind.Published);
    }

    [Fact]
    public async Task A_bad_signature_is_refused()
    {
        Func<Task> wrongKey = async () => await Provider().ParseCallbackAsync(Ingest("publish", 1714550400, key: "another-key"));
        await wrongKey.Should().ThrowAsync<CallbackVerificationException>();
        Func<Task> wrongDomain = async () => await Provider().ParseCallbackAsync(Ingest("publish", 1714550400, domain: "play.example.com"));
        await wrongDomain.Should().ThrowAsync<CallbackVerificationException>();
        Func<Task> unsigned = async () => await Provider().ParseCallbackAsync(Ingest("publish", 1714550400) with { Headers = new Dictionary<string, string>() });
        await unsigned.Should().ThrowAsync<CallbackVerificationException>();
        Func<Task> noKey = async () => await Provider(o => o.CallbackKey = null).ParseCallbackAsync(Ingest("publish", 1714550400));
        (await noKey.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("LiveCloud:Aliyun:CallbackKey");
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused_and_the_window_is_configurable()
    {
        Func<Task> stale = async () => await Provider().ParseCallbackAsync(Ingest("publish", 1714550400 - 301));
        (await stale.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("timestamp");
        Func<Task> future = async () => await Provider().ParseCallbackAsync(Ingest("publish", 1714550400 + 301));
        await future.Should().ThrowAsync<CallbackVerificationException>();
        (await Provider().ParseCallbackAsync(Ingest("publish", 1714550400 - 299))).Kind.Should().Be(StreamEventKind.Published);
        (await Provider(o => o.CallbackMaxAge = TimeSpan.FromMinutes(10)).ParseCallbackAsync(Ingest("publish", 1714550400 - 301))).Kind.Should().Be(StreamEventKind.Published);
    }

    [Fact]
    public async Task A_redelivery_keeps_its_event_id()
    {
        AliyunStreamProvider provider = Provider();
        StreamEvent first = await provider.ParseCallbackAsync(Ingest("publish", 1714550400));
        _clock.Advance(TimeSpan.FromSeconds(1));
        StreamEvent retry = await provider.ParseCallbackAsync(Ingest("publish", 1714550401));
        retry.EventId.Should().Be(first.EventId, "Aliyun re-signs a retried callback but it is the same event");
        StreamEvent later = await provider.ParseCallbackAsync(Ingest("publish", 1714550401, time: "1714550395"));
        later.EventId.Should().NotBe(first.EventId, "a new publish is a new event");
    }

    private static CallbackRequest Recording(long signedAt, string host = "hooks.example.com:8443") => new()
    {
        Method = "POST",
        ContentType = "application/json",
        Headers = new Dictionary<string, string>(Signed("hooks.example.com", signedAt), StringComparer.OrdinalIgnoreCase) { ["Host"] = host },
        Body = """{"domain":"play.example.com","app":"live","stream":"room_1001","uri":"live/room_1001/0_2024-05-01-07:58:00_2024-05-01-07:59:09.flv","duration":69.403,"start_time":1714550280,"stop_time":1714550349,"push_args":{"callback_myid":"1231389741"}}""",
    };

    [Fact]
    public async Task A_recording_callback_becomes_recording_ready()
    {
        StreamEvent e = await Provider(o => o.RecordingBaseUrl = new Uri("https://my-live-bucket.oss-cn-shanghai.aliyuncs.com/")).ParseCallbackAsync(Recording(1714550400));
        e.Kind.Should().Be(StreamEventKind.RecordingReady);
        e.Stream.Should().Be(new StreamId("live", "room_1001"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1714550349));
        e.Recording!.PlaybackUrl.Should().Be(new Uri("https://my-live-bucket.oss-cn-shanghai.aliyuncs.com/live/room_1001/0_2024-05-01-07:58:00_2024-05-01-07:59:09.flv"));
        e.Recording.Duration.Should().Be(TimeSpan.FromSeconds(69.403));
        e.Recording.StartTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1714550280));
        e.Recording.Format.Should().Be("flv");

        StreamEvent again = await Provider().ParseCallbackAsync(Recording(1714550403));
        again.EventId.Should().Be(e.EventId);
        again.Recording!.PlaybackUrl.IsAbsoluteUri.Should().BeFalse("without RecordingBaseUrl the OSS object path is all there is");

        Func<Task> otherHost = async () => await Provider().ParseCallbackAsync(Recording(1714550400, host: "evil.example.com"));
        await otherHost.Should().ThrowAsync<CallbackVerificationException>("recording callbacks are signed with the callback URL's host");
        (await Provider(o => o.RecordingCallbackDomain = "hooks.example.com").ParseCallbackAsync(Recording(1714550400, host: "10.0.0.5:80"))).Kind.Should().Be(StreamEventKind.RecordingReady);
    }

    [Fact]
    public async Task Signed_but_malformed_callbacks_are_argument_errors()
    {
        CallbackRequest noStream = Ingest("publish", 1714550400);
        noStream = noStream with { Query = new Dictionary<string, string>(noStream.Query) { ["id"] = "" } };
        Func<Task> parse = async () => await Provider().ParseCallbackAsync(noStream);
        (await parse.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'id'");

        Func<Task> noUri = async () => await Provider().ParseCallbackAsync(Recording(1714550400) with { Body = """{"domain":"d","app":"live","stream":"s"}""" });
        (await noUri.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'uri'");
    }
}
