using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Huawei.Tests;

/// <summary>Push notifications and recording callbacks: verified, refused, malformed, unmodelled, redelivered, out of order.</summary>
public sealed class CallbackTests
{
    private const string Domain = HuaweiLiveEmulator.PushDomain;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    private HuaweiStreamProvider Provider(Action<HuaweiOptions>? configure = null)
    {
        HuaweiOptions options = HuaweiTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new HuaweiStreamProvider(options, HuaweiTestSetup.Pipeline(options), _clock);
    }

    private static long At(int seconds) => Now.AddSeconds(seconds).ToUnixTimeSeconds();

    private static CallbackRequest Push(string eventName, string stream = "room_1001", int publishedAgo = 120, int expiresIn = 60, string? userArgs = null) =>
        HuaweiLiveEmulator.PushCallback(HuaweiTestSetup.CallbackKey, eventName, Domain, "live", stream, At(-publishedAgo), At(expiresIn), userArgs);

    private static CallbackRequest Edit(CallbackRequest request, Action<JsonObject> change)
    {
        JsonObject body = JsonNode.Parse(request.Body)!.AsObject();
        change(body);
        return request with { Body = body.ToJsonString() };
    }

    [Fact]
    public async Task Publish_and_publish_done_pair_by_their_publish_timestamp()
    {
        HuaweiStreamProvider provider = Provider();
        StreamEvent published = await provider.ParseCallbackAsync(Push("PUBLISH"));
        StreamEvent done = await provider.ParseCallbackAsync(Push("PUBLISH_DONE", expiresIn: 90));

        published.Kind.Should().Be(StreamEventKind.Published);
        done.Kind.Should().Be(StreamEventKind.Unpublished);
        published.Stream.Should().Be(new StreamId("live", "room_1001"));
        published.SessionId.Should().Be(At(-120).ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Be(done.SessionId);
        published.OccurredAt.Should().Be(Now.AddSeconds(-120));
        done.OccurredAt.Should().Be(published.OccurredAt, "Huawei sends no stop time: both events sit at their push's publish_timestamp");
        published.ClientAddress.Should().Be("100.111.12.34");
        published.VendorEventType.Should().Be("PUBLISH");
        done.EventId.Should().NotBe(published.EventId);
        HuaweiCallbackVerifier.EndOfSessionEventId(published).Should().Be(done.EventId, "an observer that saw the PUBLISH_DONE first knows the PUBLISH is stale");
        HuaweiCallbackVerifier.EndOfSessionEventId(done).Should().BeNull();
    }

    [Fact]
    public async Task A_redelivery_signed_later_keeps_the_id_and_another_push_gets_another()
    {
        HuaweiStreamProvider provider = Provider();
        StreamEvent first = await provider.ParseCallbackAsync(Push("PUBLISH", expiresIn: 10));
        StreamEvent again = await provider.ParseCallbackAsync(Push("PUBLISH", expiresIn: 50));
        StreamEvent next = await provider.ParseCallbackAsync(Push("PUBLISH", publishedAgo: 30));
        again.EventId.Should().Be(first.EventId);
        next.EventId.Should().NotBe(first.EventId, "a new push has a new publish_timestamp");
        next.OccurredAt.Should().BeAfter(first.OccurredAt);
    }

    [Fact]
    public async Task Forged_stale_and_unsigned_callbacks_are_refused()
    {
        HuaweiStreamProvider provider = Provider();
        CallbackRequest good = Push("PUBLISH");
        string sign = (string)JsonNode.Parse(good.Body)!["auth_sign"]!;

        foreach ((string why, CallbackRequest request) in new[]
        {
            ("one character off", Edit(good, b => b["auth_sign"] = Tamper.OffByOne(sign))),
            ("another stream under the same signature", Edit(good, b => b["stream"] = "room_1002")),
            ("PUBLISH_DONE under PUBLISH's signature", Edit(good, b => b["event"] = "PUBLISH_DONE")),
            ("a later expiry under the old signature", Edit(good, b => b["auth_timestamp"] = At(3600))),
            ("no signature", Edit(good, b => b.Remove("auth_sign"))),
            ("no expiry", Edit(good, b => b.Remove("auth_timestamp"))),
            ("expired beyond the skew", Push("PUBLISH", expiresIn: -61)),
            ("not JSON", good with { Body = "event=PUBLISH" }),
            ("neither kind", new CallbackRequest { Body = """{"app":"live","stream":"s"}""" }),
        })
        {
            Func<Task> parse = async () => await provider.ParseCallbackAsync(request);
            await parse.Should().ThrowAsync<CallbackVerificationException>(why);
        }

        (await provider.ParseCallbackAsync(Push("PUBLISH", expiresIn: -59))).Kind.Should().Be(StreamEventKind.Published, "within the 1 minute skew");
    }

    [Fact]
    public async Task Without_a_key_every_callback_of_that_kind_is_refused_naming_the_option()
    {
        HuaweiStreamProvider provider = Provider(o =>
        {
            o.CallbackKey = null;
            o.RecordCallbackKey = null;
        });
        Func<Task> push = async () => await provider.ParseCallbackAsync(Push("PUBLISH"));
        (await push.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("LiveCloud:Huawei:CallbackKey");
        Func<Task> record = async () => await provider.ParseCallbackAsync(Record("RECORD_FILE_COMPLETE"));
        (await record.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("LiveCloud:Huawei:RecordCallbackKey");
    }

    [Fact]
    public async Task Verified_but_malformed_is_an_argument_error()
    {
        HuaweiStreamProvider provider = Provider();
        foreach ((string why, CallbackRequest request) in new[]
        {
            ("a stream name Huawei never sends", Sign(Edit(Push("PUBLISH"), b => b["stream"] = "a.b"))),
            ("no app", Sign(Edit(Push("PUBLISH"), b => b.Remove("app")))),
            ("a publish_timestamp that is no time", Sign(Edit(Push("PUBLISH"), b => b["publish_timestamp"] = "yesterday"))),
        })
        {
            Func<Task> parse = async () => await provider.ParseCallbackAsync(request);
            await parse.Should().ThrowAsync<ArgumentException>(why);
        }
    }

    [Fact]
    public async Task An_unmodelled_verified_event_is_other_with_its_payload()
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Sign(Edit(Push("PUBLISH"), b => b["event"] = "STREAM_ALERT")));
        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("STREAM_ALERT");
        e.RawPayload.Should().Contain("\"event\":\"STREAM_ALERT\"");
    }

    [Fact]
    public async Task The_raw_payload_keeps_no_signature_and_no_push_token()
    {
        CallbackRequest request = Push("PUBLISH", userArgs: "hwSecret=11fc67229cb42f3445c931aeb94056484d37a966191323d03c7e20dd48bff6a8&hwTime=6553f100&room=7");
        StreamEvent e = await Provider().ParseCallbackAsync(request);
        e.RawPayload.Should().NotContain((string)JsonNode.Parse(request.Body)!["auth_sign"]!)
            .And.NotContain("11fc67229cb42f3445c931aeb94056484d37a966191323d03c7e20dd48bff6a8")
            .And.Contain("\"client_ip\":\"100.111.12.34\"");
        ((string?)JsonNode.Parse(e.RawPayload!)!["user_args"]).Should().Be("hwTime=6553f100&room=7");
    }

    // ---- recording callbacks ----

    private static readonly DateTimeOffset RecordStart = Now.AddMinutes(-31);

    private static CallbackRequest Record(string eventType, bool md5 = false, string downloadUrl = "https://live-records.obs.cn-north-4.myhuaweicloud.com/record/live/room_1001.m3u8", int expiresIn = 60) =>
        HuaweiLiveEmulator.RecordCallback(HuaweiTestSetup.RecordKey, md5, eventType, Domain, "live", "room_1001", downloadUrl, RecordStart, RecordStart.AddMinutes(30), At(expiresIn));

    [Fact]
    public async Task A_finished_file_is_recording_ready_and_its_redelivery_keeps_the_id()
    {
        HuaweiStreamProvider provider = Provider();
        StreamEvent e = await provider.ParseCallbackAsync(Record("RECORD_FILE_COMPLETE"));
        e.Kind.Should().Be(StreamEventKind.RecordingReady);
        e.Recording.Should().Be(new RecordedFile(new StreamId("live", "room_1001"), new Uri("https://live-records.obs.cn-north-4.myhuaweicloud.com/record/live/room_1001.m3u8"), RecordStart, TimeSpan.FromMinutes(30), 1234567, "m3u8"));
        e.OccurredAt.Should().Be(RecordStart.AddMinutes(30));
        e.RawPayload.Should().NotContain("auth_sign");
        (await provider.ParseCallbackAsync(Record("RECORD_FILE_COMPLETE", expiresIn: 300))).EventId.Should().Be(e.EventId);
    }

    [Theory]
    [InlineData("RECORD_NEW_FILE_START")]
    [InlineData("RECORD_OVER")]
    [InlineData("RECORD_FAILED")]
    public async Task Recording_states_are_status_changes(string eventType)
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Record(eventType));
        e.Kind.Should().Be(StreamEventKind.RecordingStatusChanged);
        e.Detail.Should().Be(eventType);
    }

    [Fact]
    public async Task Md5_mode_verifies_only_when_configured_and_a_forged_hmac_is_refused()
    {
        (await Provider(o => o.RecordCallbackSignType = HuaweiRecordCallbackSignType.Md5).ParseCallbackAsync(Record("RECORD_OVER", md5: true))).Kind
            .Should().Be(StreamEventKind.RecordingStatusChanged);

        Func<Task> mismatched = async () => await Provider().ParseCallbackAsync(Record("RECORD_OVER", md5: true));
        (await mismatched.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("RecordCallbackSignType");

        Func<Task> moved = async () => await Provider().ParseCallbackAsync(Edit(Record("RECORD_FILE_COMPLETE"), b => b["download_url"] = "https://evil.example.net/x.m3u8"));
        await moved.Should().ThrowAsync<CallbackVerificationException>("the HMAC covers download_url");
    }

    [Fact]
    public async Task A_finished_file_without_a_usable_url_is_malformed_and_other_events_are_other()
    {
        Func<Task> noUrl = async () => await Provider().ParseCallbackAsync(Record("RECORD_FILE_COMPLETE", downloadUrl: "record/live/room_1001.m3u8"));
        (await noUrl.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("download_url");

        StreamEvent other = await Provider().ParseCallbackAsync(Record("RECORD_SOMETHING_NEW"));
        other.Kind.Should().Be(StreamEventKind.Other);
        other.VendorEventType.Should().Be("RECORD_SOMETHING_NEW");
    }

    // Re-signs a push notification after an edit, with the emulator's code: verified, so what follows is parsing.
    private static CallbackRequest Sign(CallbackRequest request)
    {
        JsonObject b = JsonNode.Parse(request.Body)!.AsObject();
        b["auth_sign"] = HuaweiSignatures.PushCallbackSign(HuaweiTestSetup.CallbackKey, (string?)b["event"] ?? "", (string?)b["domain"] ?? "", (string?)b["app"] ?? "", (string?)b["stream"] ?? "", b["auth_timestamp"]!.ToJsonString());
        return request with { Body = b.ToJsonString() };
    }
}
