using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Nginx.Tests;

/// <summary>The hook rules of the adapter template: unmodelled calls, session ids, raw payloads, hostile input, event ids.</summary>
public sealed class NginxCallbackVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly StreamId Demo = new("live", "demo");
    private readonly FakeTimeProvider _clock = new(Now);

    private static string Sig(string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestOptions.Key), Encoding.ASCII.GetBytes(data)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string HookToken => Sig("livecloud-nginx-hook");

    private static CallbackRequest Hook(string body, bool token = true) => new()
    {
        ContentType = "application/x-www-form-urlencoded",
        Query = token ? new Dictionary<string, string> { ["lc_hook"] = HookToken } : new Dictionary<string, string>(),
        Body = body,
    };

    private static string Body(string call, string name = "demo", string clientId = "42", string extra = "")
    {
        long e = Now.AddMinutes(5).ToUnixTimeSeconds();
        string purpose = call == "play" ? "play" : "publish";
        return $"app=live&flashver=FMLE%2F3.0&addr=10.0.0.7&clientid={clientId}&call={call}&name={name}&type=live{extra}&e={e}&sig={Sig($"{purpose}:/live/{name}?e={e}")}";
    }

    private NginxStreamProvider Provider(Action<NginxOptions>? configure = null) => TestOptions.Provider(TestOptions.Create(configure), _clock);

    [Theory]
    [InlineData("update")]
    [InlineData("play_done")]
    [InlineData("done")]
    public async Task Verified_calls_LiveCloud_does_not_model_are_Other_with_their_type_and_payload(string call)
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Hook(Body(call, extra: "&time=12&timestamp=3400")));

        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be(call);
        e.Stream.Should().Be(Demo);
        e.SessionId.Should().Be("42");
        e.RawPayload.Should().Contain($"call={call}").And.Contain("time=12").And.Contain("clientid=42");
        e.RawPayload.Should().NotContain("lc_hook").And.NotContain(HookToken).And.NotContain("sig=");
        e.EventId.Should().MatchRegex("^nginx:[0-9a-f]{32}$");
    }

    [Fact]
    public async Task Unmodelled_call_without_the_hook_token_is_still_refused()
    {
        Func<Task> parse = async () => await Provider().ParseCallbackAsync(Hook(Body("update"), token: false));
        await parse.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Theory]
    [InlineData("publish", StreamEventKind.Published)]
    [InlineData("play", StreamEventKind.PlayRequested)]
    [InlineData("publish_done", StreamEventKind.Unpublished)]
    public async Task Every_modelled_hook_carries_the_call_the_client_id_and_the_payload_without_secrets(string call, StreamEventKind kind)
    {
        StreamEvent e = await Provider().ParseCallbackAsync(Hook(Body(call)));

        e.Kind.Should().Be(kind);
        e.VendorEventType.Should().Be(call);
        e.SessionId.Should().Be("42", "nginx's clientid identifies the connection");
        e.ClientAddress.Should().Be("10.0.0.7");
        e.RawPayload.Should().Contain("name=demo").And.Contain("e=").And.NotContain("sig=").And.NotContain(HookToken);
    }

    [Fact]
    public async Task Hls_authorisation_is_a_play_request_without_a_session()
    {
        long e = Now.AddMinutes(5).ToUnixTimeSeconds();
        var request = new CallbackRequest
        {
            Method = "GET",
            Query = new Dictionary<string, string> { ["lc_hook"] = HookToken, ["call"] = "hls", ["app"] = "live", ["name"] = "demo", ["e"] = e.ToString(System.Globalization.CultureInfo.InvariantCulture), ["sig"] = Sig($"hls:/live/demo?e={e}") },
        };

        StreamEvent ev = await Provider().ParseCallbackAsync(request);

        ev.Kind.Should().Be(StreamEventKind.PlayRequested);
        ev.VendorEventType.Should().Be("hls");
        ev.SessionId.Should().BeNull();
        ev.RawPayload.Should().Be($"call=hls&app=live&name=demo&e={e}");
    }

    [Fact]
    public async Task A_redelivered_hook_has_the_same_event_id_and_different_hooks_different_ones()
    {
        NginxStreamProvider provider = Provider();
        StreamEvent first = await provider.ParseCallbackAsync(Hook(Body("publish")));
        _clock.Advance(TimeSpan.FromSeconds(3));
        StreamEvent again = await provider.ParseCallbackAsync(Hook(Body("publish")));
        StreamEvent otherClient = await provider.ParseCallbackAsync(Hook(Body("publish", clientId: "43")));
        StreamEvent otherStream = await provider.ParseCallbackAsync(Hook(Body("publish", name: "demo2")));
        StreamEvent done = await provider.ParseCallbackAsync(Hook(Body("publish_done")));
        StreamEvent update1 = await provider.ParseCallbackAsync(Hook(Body("update", extra: "&time=10")));
        StreamEvent update2 = await provider.ParseCallbackAsync(Hook(Body("update", extra: "&time=20")));

        again.EventId.Should().Be(first.EventId);
        first.EventId.Should().MatchRegex("^nginx:[0-9a-f]{32}$", "an opaque CallbackGuard id, not the client id in clear");
        new[] { first.EventId, otherClient.EventId, otherStream.EventId, done.EventId, update1.EventId, update2.EventId }.Should().OnlyHaveUniqueItems();
        LiveCloud.Callbacks.CallbackGuard.EventId(first.Provider, "publish_done", first.Stream.ToString(), first.SessionId)
            .Should().Be(done.EventId, "the unpublish that ends a push session is found from the publish's session id");
    }

    [Fact]
    public async Task Record_done_ids_differ_per_file_and_repeat_per_redelivery()
    {
        string recordings = Path.Combine(Path.GetTempPath(), "livecloud-nginx-verifier-" + Guid.NewGuid().ToString("N")[..8]);
        NginxStreamProvider provider = Provider(o => o.RecordingsDirectory = recordings);
        Directory.CreateDirectory(recordings);
        try
        {
            string a = Path.Combine(recordings, "demo-1795000000.flv");
            string b = Path.Combine(recordings, "demo-1795000100.flv");
            await File.WriteAllBytesAsync(a, new byte[128]);
            await File.WriteAllBytesAsync(b, new byte[256]);

            StreamEvent first = await provider.ParseCallbackAsync(Hook(Body("record_done", extra: "&recorder=rec1&path=" + Uri.EscapeDataString(a))));
            StreamEvent again = await provider.ParseCallbackAsync(Hook(Body("record_done", extra: "&recorder=rec1&path=" + Uri.EscapeDataString(a))));
            StreamEvent second = await provider.ParseCallbackAsync(Hook(Body("record_done", extra: "&recorder=rec1&path=" + Uri.EscapeDataString(b))));

            first.Kind.Should().Be(StreamEventKind.RecordingReady);
            first.Recording!.SizeBytes.Should().Be(128);
            first.Recording.StartTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1795000000));
            first.Recording.PlaybackUrl.Should().Be(new Uri("http://127.0.0.1:" + provider.Options.HttpPort + "/recordings/demo-1795000000.flv"));
            again.EventId.Should().Be(first.EventId);
            second.EventId.Should().NotBe(first.EventId);
            second.Recording!.SizeBytes.Should().Be(256);
        }
        finally
        {
            Directory.Delete(recordings, recursive: true);
        }
    }

    // Attribute strings cannot hold lone surrogates (metadata is UTF-8), so the values are built here: HIGH and LOW
    // stand for an unpaired \ud800 and \udc00.
    [Theory]
    [InlineData("name", "HIGH")]
    [InlineData("name", "deLOWmo")]
    [InlineData("addr", "10.0.0.HIGH")]
    [InlineData("clientid", "HIGH")]
    [InlineData("call", "upHIGHdate")]
    [InlineData("flashver", "LOW")]
    [InlineData("path", "/tmp/HIGH.flv")]
    public async Task Lone_surrogate_in_a_verified_hook_is_malformed_and_in_an_unverified_one_refused(string field, string pattern)
    {
        string value = pattern.Replace("HIGH", "\ud800", StringComparison.Ordinal).Replace("LOW", "\udc00", StringComparison.Ordinal);
        value.Should().NotBe(pattern);
        string body = $"{field}={value}&" + Body("publish_done");
        Func<Task> verified = async () => await Provider().ParseCallbackAsync(Hook(body));
        await verified.Should().ThrowExactlyAsync<ArgumentException>();

        Func<Task> unverified = async () => await Provider().ParseCallbackAsync(Hook(body, token: false));
        await unverified.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Theory]
    [InlineData("99999999999999999999999")] // overflows a long
    [InlineData("999999999999")] // year 33658
    [InlineData("9223372036854775807")]
    public async Task Recording_named_with_an_absurd_unix_time_is_malformed_and_unverified_it_is_refused(string stamp)
    {
        string recordings = Path.Combine(Path.GetTempPath(), "livecloud-nginx-absurd");
        NginxStreamProvider provider = Provider(o => o.RecordingsDirectory = recordings);
        string body = Body("record_done", extra: "&recorder=rec1&path=" + Uri.EscapeDataString(Path.Combine(recordings, $"demo-{stamp}.flv")));

        Func<Task> verified = async () => await provider.ParseCallbackAsync(Hook(body));
        await verified.Should().ThrowExactlyAsync<ArgumentException>();

        Func<Task> unverified = async () => await provider.ParseCallbackAsync(Hook(body, token: false));
        await unverified.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("Infinity")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task Push_url_with_an_absurd_expiry_is_refused_never_a_server_fault(string e)
    {
        // e and sig come from the broadcaster's URL: a garbage expiry means the push is not authorised.
        string body = $"app=live&addr=10.0.0.7&clientid=42&call=publish&name=demo&type=live&e={e}&sig={Sig($"publish:/live/demo?e={e}")}";
        Func<Task> parse = async () => await Provider().ParseCallbackAsync(Hook(body));
        await parse.Should().ThrowAsync<CallbackVerificationException>().WithMessage("*expiry*");
    }

    [Theory]
    [InlineData("call=publish_done&app=live&clientid=1")]
    [InlineData("call=publish_done&app=live&name=bad/name&clientid=1")]
    [InlineData("call=publish_done&name=demo&clientid=1")]
    public async Task Verified_hook_without_a_valid_stream_is_malformed_and_unverified_it_is_refused(string body)
    {
        Func<Task> verified = async () => await Provider().ParseCallbackAsync(Hook(body));
        await verified.Should().ThrowExactlyAsync<ArgumentException>();

        Func<Task> unverified = async () => await Provider().ParseCallbackAsync(Hook(body, token: false));
        await unverified.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Fact]
    public void Verifier_works_on_its_own_and_the_provider_hands_out_its_parts()
    {
        NginxOptions options = TestOptions.Create();
        var verifier = new NginxCallbackVerifier(options, _clock);
        StreamEvent e = verifier.Parse(Hook(Body("publish")), "edge-1");
        e.Provider.Should().Be("edge-1");
        e.EventId.Should().StartWith("edge-1:");

        NginxStreamProvider provider = Provider();
        provider.GetService(typeof(NginxCallbackVerifier)).Should().BeSameAs(provider.CallbackVerifier);
        provider.GetService(typeof(NginxUrlSigner)).Should().BeSameAs(provider.UrlSigner);
        provider.GetService(typeof(NginxApiClient)).Should().BeSameAs(provider.Client);
        provider.GetService(typeof(NginxOptions)).Should().BeSameAs(provider.Options);
    }
}
