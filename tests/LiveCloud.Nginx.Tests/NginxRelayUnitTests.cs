using System.Collections.Concurrent;

namespace LiveCloud.Nginx.Tests;

/// <summary>The relay rules without nginx or ffmpeg: checks before anything runs, redaction, ffmpeg's arguments, supervision.</summary>
public sealed class NginxRelayUnitTests : IDisposable
{
    private static readonly StreamId Show = new("live", "show");
    private const string Key = "live_1234567_SecretStreamKey0";
    private static readonly Uri Platform = new($"rtmp://live-push.example.com/live-bvc/?streamname=live_1234567&key={Key}");

    private readonly string _dir = Directory.CreateTempSubdirectory("livecloud-relay-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A provider whose /stat says `live` is pushed; its ffmpeg is whatever `ffmpeg` names (an existing file by default).
    private static NginxStreamProvider Provider(bool live, Action<NginxOptions>? configure = null) =>
        new(TestOptions.Create(o => { o.FfmpegPath = "/bin/sh"; configure?.Invoke(o); }), new FakeStat(live ? [Show] : []), null, null);

    // Over the real pipeline to a port nothing listens on: any call to nginx fails with a LiveCloudException.
    private static NginxStreamProvider Offline(Action<NginxOptions>? configure = null) => TestOptions.Provider(TestOptions.Create(configure));

    [Fact]
    public async Task A_private_target_is_refused_naming_the_option_before_anything_runs()
    {
        await using NginxStreamProvider provider = Offline();
        foreach (string target in new[] { "rtmp://127.0.0.1/live/" + Key, "rtmp://10.1.2.3:1935/app/" + Key, "rtmps://localhost/app/" + Key, "srt://[fe80::1]:9000?streamid=" + Key, "rtmp://192.168.1.20/live?key=" + Key })
        {
            Func<Task> start = () => provider.StartRelayAsync(RelayRequest.PushTo(Show, new Uri(target)));
            (await start.Should().ThrowAsync<ArgumentException>(target)).Which.Message
                .Should().Contain("LiveCloud:Nginx:AllowPrivateRelayTargets").And.NotContain(Key);
        }

        // With the option set, the same target passes the check and only then reaches nginx (which is not there).
        await using NginxStreamProvider allowed = Offline(o => o.AllowPrivateRelayTargets = true);
        Func<Task> reaches = () => allowed.StartRelayAsync(RelayRequest.PushTo(Show, new Uri("rtmp://127.0.0.1/live/" + Key)));
        (await reaches.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().NotContain(Key);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_problem_before_any_call_to_nginx()
    {
        await using NginxStreamProvider provider = Offline(o => o.AllowPrivateRelayTargets = true);
        var cases = new (Func<Task> Start, string Expected)[]
        {
            (() => provider.StartRelayAsync(RelayRequest.PushTo(new StreamId("other", "show"), Platform)), "*'other'*LiveCloud:Nginx:AppName*"),
            (() => provider.StartRelayAsync(RelayRequest.PushTo(Show, new Uri("http://example.com/live/" + Key))), "*push relay*rtmp, rtmps, srt*"),
            (() => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("ftp://example.com/show.flv"), Show)), "*pull relay*"),
            (() => provider.StartRelayAsync(RelayRequest.PullFrom(new Uri("rtmp://example.com/live/" + Key), Show, loop: true)), "*Loop*http or https*"),
            (() => provider.StartRelayAsync(RelayRequest.PushTo(Show, Platform, DateTimeOffset.UtcNow.AddMinutes(-1))), "*not in the future*"),
            (() => provider.GetRelayAsync(" "), "*relayId*"),
            (() => provider.StopRelayAsync(""), "*relayId*"),
        };
        foreach ((Func<Task> start, string expected) in cases)
        {
            (await start.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Match(expected).And.NotContain(Key);
        }

        Func<Task> noFfmpeg = () => Provider(live: true, o => o.FfmpegPath = "/nonexistent/ffmpeg").StartRelayAsync(RelayRequest.PushTo(Show, Platform));
        (await noFfmpeg.Should().ThrowAsync<LiveCloudConfigurationException>()).WithMessage("*LiveCloud:Nginx:FfmpegPath*apt-get install ffmpeg*");
    }

    [Fact]
    public async Task A_push_relay_needs_its_stream_pushed_and_a_pull_relay_needs_it_free()
    {
        Func<Task> notLive = () => Provider(live: false).StartRelayAsync(RelayRequest.PushTo(Show, Platform));
        (await notLive.Should().ThrowAsync<LiveCloudNotFoundException>()).WithMessage("*live/show is not being pushed*");

        Func<Task> taken = () => Provider(live: true).StartRelayAsync(RelayRequest.PullFrom(Platform, Show));
        (await taken.Should().ThrowAsync<LiveCloudException>()).WithMessage("*live/show is already being pushed*");
    }

    [Fact]
    public async Task Unknown_relays_are_not_found_and_say_relays_belong_to_the_process_that_started_them()
    {
        await using NginxStreamProvider provider = Provider(live: true);
        (await provider.Awaiting(p => p.GetRelayAsync("relay-123")).Should().ThrowAsync<LiveCloudNotFoundException>()).WithMessage("*relay-123*process that started it*");
        (await provider.Awaiting(p => p.StopRelayAsync("relay-123")).Should().ThrowAsync<LiveCloudNotFoundException>()).WithMessage("*process that started it*");
        (await provider.ListRelaysAsync().ToListAsync()).Should().BeEmpty();
        provider.Capabilities.Supports(ProviderFeatures.PushRelay | ProviderFeatures.PullRelay).Should().BeTrue();
    }

    [Fact]
    public void Ffmpeg_lines_lose_every_secret_of_the_urls_they_name()
    {
        var local = new Uri("rtmp://127.0.0.1:1935/live/show?e=1798761600&sig=z-6h9_7IXW6XDaw-BylrtvrvDUqONg6cO4BXEMWR1O8");
        var withUser = new Uri("rtmps://user:Passw0rdSecret@ingest.example.com:443/app/" + Key);
        string[] lines =
        [
            $"Error writing trailer of {Platform.OriginalString}: Connection reset by peer",
            $"{Platform.OriginalString}: Connection refused",
            $"[rtmp @ 0x5580c58d5740] Cannot open connection tcp://live-push.example.com:1935?tcp_nodelay=0 for {Key}",
            $"{local.OriginalString}: Input/output error",
            $"{withUser.OriginalString}: Server returned 401 Unauthorized",
            $"[flv @ 0x1] playpath live-bvc/?streamname=live_1234567&key={Key} refused",
        ];
        foreach (string line in lines)
        {
            string shown = NginxRelays.Redact(line, Platform, local, withUser);
            shown.Should().NotContain(Key).And.NotContain("z-6h9_7IXW6XDaw").And.NotContain("Passw0rdSecret").And.NotContain("streamname=");
        }

        NginxRelays.Redact(lines[0], Platform, local).Should().Be("Error writing trailer of rtmp://live-push.example.com/live-bvc/***: Connection reset by peer");
        NginxRelays.Redact(lines[3], Platform, local).Should().Be("rtmp://127.0.0.1:1935/live/***: Input/output error");
    }

    [Fact]
    public void Ffmpeg_copies_without_re_encoding_in_the_right_container()
    {
        const string local = "rtmp://127.0.0.1:1935/live/show?e=1&sig=s";
        string[] push = [.. NginxRelays.Arguments(RelayRequest.PushTo(Show, Platform), local)];
        push.Should().ContainInConsecutiveOrder("-i", local, "-c", "copy", "-f", "flv", Platform.OriginalString).And.EndWith(Platform.OriginalString)
            .And.ContainInConsecutiveOrder("-progress", "pipe:1").And.NotContain("-re").And.NotContain("libx264");

        var srt = new Uri("srt://ingest.example.com:9000?streamid=" + Key);
        NginxRelays.Arguments(RelayRequest.PushTo(Show, srt), local).Should().ContainInConsecutiveOrder("-f", "mpegts", srt.OriginalString);

        var file = new Uri("https://cdn.example.com/shows/replay.mp4");
        NginxRelays.Arguments(RelayRequest.PullFrom(file, Show, loop: true), local).Should()
            .ContainInConsecutiveOrder("-re", "-stream_loop", "-1", "-i", file.OriginalString, "-c", "copy", "-f", "flv", local);
        NginxRelays.Arguments(RelayRequest.PullFrom(Platform, Show), local).Should()
            .NotContain("-re").And.NotContain("-stream_loop").And.ContainInConsecutiveOrder("-i", Platform.OriginalString, "-c", "copy", "-f", "flv", local);
    }

    [SkippableFact]
    public async Task A_relay_whose_ffmpeg_keeps_failing_retries_with_back_off_then_fails_with_a_redacted_reason()
    {
        Skip.If(OperatingSystem.IsWindows() || !File.Exists("/bin/sh"), "the stand-in ffmpeg is a shell script");
        // A stand-in ffmpeg that fails like the real one when the target refuses: it names its last argument, the target.
        string fake = Path.Combine(_dir, "ffmpeg");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nfor last; do :; done\necho \"$last: Connection refused\" >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await using NginxStreamProvider provider = Provider(live: true, o =>
        {
            o.FfmpegPath = fake;
            o.RestartDelay = TimeSpan.FromMilliseconds(50);
            o.MaxRestartDelay = TimeSpan.FromMilliseconds(200);
            o.RelayGiveUpAfter = TimeSpan.FromSeconds(2);
        });
        var events = new ConcurrentQueue<StreamEvent>();
        provider.RelayStatusChanged += (_, e) => events.Enqueue(e);

        RelayTask relay = await provider.StartRelayAsync(RelayRequest.PushTo(Show, Platform));
        await Poll.UntilAsync(async () => (await provider.GetRelayAsync(relay.Id)).Status == RelayStatus.Failed, "the relay to give up", 60);

        RelayTask failed = await provider.GetRelayAsync(relay.Id);
        failed.Reason.Should().Contain("rtmp://live-push.example.com/live-bvc/***: Connection refused").And.Contain("ffmpeg exit code 1")
            .And.Contain("LiveCloud:Nginx:RelayGiveUpAfter").And.NotContain(Key);
        failed.ToString().Should().NotContain(Key);
        events.Select(e => e.Detail!.Split(':')[0]).Should().Equal("Starting", "Retrying", "Failed");
        events.Should().OnlyContain(e => e.RelayId == relay.Id && e.Kind == StreamEventKind.RelayStatusChanged && !e.Detail!.Contains(Key, StringComparison.Ordinal));
        await provider.StopRelayAsync(relay.Id); // a finished relay stays as it was
        (await provider.GetRelayAsync(relay.Id)).Status.Should().Be(RelayStatus.Failed);
    }

    [Fact]
    public void Relay_options_are_validated_naming_the_key()
    {
        NginxOptions options = TestOptions.Create(o =>
        {
            o.RelayStallTimeout = TimeSpan.Zero;
            o.RelayGiveUpAfter = TimeSpan.FromSeconds(-1);
            o.FfmpegPath = " ";
        });
        Action create = () => _ = TestOptions.Provider(options);
        create.Should().Throw<LiveCloudConfigurationException>()
            .WithMessage("*LiveCloud:Nginx:RelayStallTimeout must be positive*")
            .WithMessage("*LiveCloud:Nginx:RelayGiveUpAfter must be positive*")
            .WithMessage("*LiveCloud:Nginx:FfmpegPath is required*");
        new NginxOptions().AllowPrivateRelayTargets.Should().BeFalse("private targets are refused unless allowed");
    }

    private sealed class FakeStat(StreamId[] live) : NginxApiClient(TimeProvider.System)
    {
        public override Task<IReadOnlyList<StreamState>> GetStatAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<StreamState>>([.. live.Select(s => new StreamState(s, StreamStatus.Active, null, 900, 0))]);
    }
}
