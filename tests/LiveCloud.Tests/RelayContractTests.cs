using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tests;

/// <summary>The relay contract: URL checks before any call, redaction of stream keys, capability checks.</summary>
public sealed class RelayContractTests
{
    private static readonly StreamId Stream = new("live", "show_1");

    [Theory]
    [InlineData("rtmp://live-push.bilivideo.com/live-bvc/?streamname=live_1&key=SECRETKEY", "rtmp://live-push.bilivideo.com/live-bvc/***")]
    [InlineData("rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop", "rtmp://a.rtmp.youtube.com/live2/***")]
    [InlineData("srt://ingest.example.com:9000?streamid=#!::r=live/x,m=publish", "srt://ingest.example.com:9000/***")]
    [InlineData("https://cdn.example.com/live/show.m3u8", "https://cdn.example.com/live/***")]
    [InlineData("rtmp://user:pass@host.example.com/app", "rtmp://host.example.com/***")]
    [InlineData("rtmp://host.example.com/app/", "rtmp://host.example.com/app/")]
    public void Remote_urls_are_shown_without_their_secrets(string url, string shown)
    {
        string redacted = RelayUrls.Redact(new Uri(url));
        redacted.Should().Be(shown);
        redacted.Should().NotContain("SECRETKEY").And.NotContain("pass").And.NotContain("abcd-efgh");
        RelayRequest.PushTo(Stream, new Uri(url)).ToString().Should().NotContain("SECRETKEY").And.NotContain("abcd-efgh");
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1/live/x")]
    [InlineData("rtmp://localhost/live/x")]
    [InlineData("rtmp://10.1.2.3/live/x")]
    [InlineData("rtmp://172.20.0.1/live/x")]
    [InlineData("rtmp://192.168.1.10/live/x")]
    [InlineData("rtmp://169.254.169.254/live/x")]
    [InlineData("rtmp://100.64.0.1/live/x")]
    [InlineData("rtmp://[::1]/live/x")]
    [InlineData("rtmp://[fd00::1]/live/x")]
    [InlineData("rtmp://[fe80::1]/live/x")]
    [InlineData("rtmp://[::ffff:10.0.0.1]/live/x")]
    [InlineData("rtmp://0.0.0.0/live/x")]
    public void Private_loopback_and_link_local_targets_are_refused_naming_the_option(string url)
    {
        Action check = () => RelayUrls.Validate(RelayRequest.PushTo(Stream, new Uri(url)), allowPrivate: false, "LiveCloud:X:AllowPrivateRelayTargets");
        check.Should().Throw<ArgumentException>().WithMessage("*LiveCloud:X:AllowPrivateRelayTargets*");
        RelayUrls.Validate(RelayRequest.PushTo(Stream, new Uri(url)), allowPrivate: true, "x");
    }

    [Theory]
    [InlineData("http://push.example.com/live/x", true)]
    [InlineData("https://push.example.com/live/x", true)]
    [InlineData("ftp://push.example.com/live/x", false)]
    [InlineData("rtmps://push.example.com/live/x", false)]
    public void A_push_relay_needs_a_streaming_scheme(string url, bool refusedForPush)
    {
        Action push = () => RelayUrls.Validate(RelayRequest.PushTo(Stream, new Uri(url)), false, "k");
        if (refusedForPush)
        {
            push.Should().Throw<ArgumentException>().WithMessage("*rtmp, rtmps, srt*");
        }
        else if (url.StartsWith("ftp", StringComparison.Ordinal))
        {
            push.Should().Throw<ArgumentException>();
        }
        else
        {
            push.Should().NotThrow();
        }

        Action pull = () => RelayUrls.Validate(RelayRequest.PullFrom(new Uri(url), Stream), false, "k");
        if (url.StartsWith("ftp", StringComparison.Ordinal))
        {
            pull.Should().Throw<ArgumentException>();
        }
        else
        {
            pull.Should().NotThrow();
        }
    }

    [Fact]
    public async Task A_provider_without_relays_says_so_and_bad_requests_fail_before_any_call()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var provider = new SampleProvider("Sample", new SampleOptions { Host = "h", Key = "k" }, clock);
        provider.Capabilities.Supports(ProviderFeatures.PushRelay).Should().BeFalse();
        Func<Task> start = () => provider.StartRelayAsync(RelayRequest.PushTo(Stream, new Uri("rtmp://push.example.com/live/key")));
        (await start.Should().ThrowAsync<NotSupportedException>()).WithMessage("*Sample provider does not support push relays*");
        Func<Task> list = async () => await provider.ListRelaysAsync().ToListAsync();
        (await list.Should().ThrowAsync<NotSupportedException>()).WithMessage("*relays*");
        Func<Task> stop = () => provider.StopRelayAsync(" ");
        await stop.Should().ThrowAsync<ArgumentException>();
    }
}
