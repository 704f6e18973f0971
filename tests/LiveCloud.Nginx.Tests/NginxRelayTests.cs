namespace LiveCloud.Nginx.Tests;

/// <summary>
/// Relays for real: the local provider's ffmpeg relays between two real nginx-rtmp servers on loopback, and ffprobe
/// plays what arrives.
/// </summary>
[Trait("Category", "RealParts")]
public sealed class NginxRelayTests : IClassFixture<NginxRelayFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly NginxRelayFixture _fixture;

    public NginxRelayTests(NginxRelayFixture fixture)
    {
        RealParts.Require(NginxServerFixture.Tools);
        _fixture = fixture;
    }

    private NginxRelayFixture.Side Local => _fixture.Local;

    private NginxRelayFixture.Side Outside => _fixture.Outside;

    private static DateTimeOffset InAnHour => DateTimeOffset.UtcNow.AddHours(1);

    private static StreamId NewStream(string prefix) => new("live", prefix + "_" + Guid.NewGuid().ToString("N")[..6]);

    [SkippableFact]
    public async Task Push_relay_reaches_the_outside_server_retries_while_it_is_down_resumes_and_stops()
    {
        StreamId show = NewStream("show");
        await using ToolProcess host = ToolProcess.Push(Local.Provider.CreatePushUrl(show, InAnHour).Url, seconds: 300);
        await Poll.UntilAsync(() => Local.IsLiveAsync(show), "the show to be live on the local server", 60);

        StreamId outside = NewStream("simulcast");
        string target = Outside.Provider.CreatePushUrl(outside, InAnHour).Url; // the platform's server + stream key
        string key = target[(target.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        RelayTask started = await Local.Provider.StartRelayAsync(RelayRequest.PushTo(show, new Uri(target)));
        started.Status.Should().Be(RelayStatus.Starting);
        started.Remote.Should().Be($"rtmp://127.0.0.1:{Outside.Options.RtmpPort}/live/***");
        started.ToString().Should().NotContain(key);

        await UntilStatusAsync(started.Id, RelayStatus.Running);
        await ProbeAsync(Outside, outside);

        await Outside.Server.StopAsync(); // the platform goes away
        RelayTask troubled = await UntilStatusAsync(started.Id, RelayStatus.Retrying);
        troubled.Reason.Should().NotBeNullOrEmpty().And.NotContain(key).And.Contain("trying again");

        await Outside.Server.StartAsync(); // and comes back
        await UntilStatusAsync(started.Id, RelayStatus.Running);
        await ProbeAsync(Outside, outside);

        await Local.Provider.StopRelayAsync(started.Id);
        (await Local.Provider.GetRelayAsync(started.Id)).Status.Should().Be(RelayStatus.Stopped);
        await Poll.UntilAsync(async () => !await Outside.IsLiveAsync(outside), "the relayed stream to end on the outside server");
        await Poll.UntilAsync(() => ProcessesNaming(key).Length == 0, "stopping a relay to end its ffmpeg and watchdog");
        await Local.Provider.StopRelayAsync(started.Id); // stopping a stopped relay succeeds

        string[] statuses = [.. _fixture.EventsOf(started.Id).Select(e => e.Detail!.Split(':')[0])];
        statuses.Should().Equal("Starting", "Running", "Retrying", "Running", "Stopped");
        _fixture.EventsOf(started.Id).Should().OnlyContain(e => e.Kind == StreamEventKind.RelayStatusChanged && e.Stream == show && !e.Detail!.Contains(key, StringComparison.Ordinal))
            .And.OnlyHaveUniqueItems(e => e.EventId);
        (await Local.Provider.ListRelaysAsync().ToListAsync()).Should().Contain(r => r.Id == started.Id && r.Status == RelayStatus.Stopped);
    }

    [SkippableFact]
    public async Task Pull_relay_brings_an_outside_stream_in_playable_through_a_signed_url()
    {
        StreamId source = NewStream("camera");
        await using ToolProcess camera = ToolProcess.Push(Outside.Provider.CreatePushUrl(source, InAnHour).Url, seconds: 300);
        await Poll.UntilAsync(() => Outside.IsLiveAsync(source), "the outside stream to be live", 60);
        string sourceUrl = Outside.Provider.CreatePlayUrls(source, InAnHour)[StreamProtocol.Rtmp]!;

        StreamId pulled = NewStream("pulled");
        RelayTask relay = await Local.Provider.StartRelayAsync(RelayRequest.PullFrom(new Uri(sourceUrl), pulled));
        await UntilStatusAsync(relay.Id, RelayStatus.Running);

        await ProbeAsync(Local, pulled, StreamProtocol.Hls);
        Local.Events.Should().Contain(
            e => e.Stream == pulled && e.Kind == StreamEventKind.Published && e.ClientAddress == "127.0.0.1",
            "the relay pushes into the local nginx with a signed push URL, verified by on_publish");

        // A second pull into the same stream would be a second publisher.
        Func<Task> twice = () => Local.Provider.StartRelayAsync(RelayRequest.PullFrom(new Uri(sourceUrl), pulled));
        (await twice.Should().ThrowAsync<LiveCloudException>()).WithMessage("*already being pushed*");

        await Local.Provider.StopRelayAsync(relay.Id);
        await Poll.UntilAsync(async () => !await Local.IsLiveAsync(pulled), "the pulled stream to end with its relay");
    }

    [SkippableFact]
    public async Task Relays_end_at_their_end_time_when_their_stream_ends_and_with_their_provider()
    {
        StreamId show = NewStream("ending");
        await using ToolProcess host = ToolProcess.Push(Local.Provider.CreatePushUrl(show, InAnHour).Url, seconds: 300);
        await Poll.UntilAsync(() => Local.IsLiveAsync(show), "the show to be live", 60);

        Uri Target(string prefix) => new(Outside.Provider.CreatePushUrl(NewStream(prefix), InAnHour).Url);
        RelayTask untilStreamEnds = await Local.Provider.StartRelayAsync(RelayRequest.PushTo(show, Target("whole")));
        RelayTask timed = await Local.Provider.StartRelayAsync(RelayRequest.PushTo(show, Target("timed"), DateTimeOffset.UtcNow.AddSeconds(20)));
        timed.EndsAt.Should().NotBeNull();

        // A second provider over the same server: disposing it stops its relay.
        Uri ownedTarget = Target("owned");
        string ownedKey = ownedTarget.Query;
        NginxStreamProvider other = TestOptions.Provider(Local.Options);
        RelayTask owned;
        try
        {
            owned = await other.StartRelayAsync(RelayRequest.PushTo(show, ownedTarget));
            await Poll.UntilAsync(async () => (await other.GetRelayAsync(owned.Id)).Status == RelayStatus.Running, "the second provider's relay to run", 90);
        }
        finally
        {
            await other.DisposeAsync();
        }

        (await other.GetRelayAsync(owned.Id)).Status.Should().Be(RelayStatus.Stopped);

        await Poll.UntilAsync(() => ProcessesNaming(ownedKey).Length == 0, "a disposed provider to leave no ffmpeg behind");
        (await Local.Provider.ListRelaysAsync().ToListAsync()).Should().NotContain(r => r.Id == owned.Id, "a relay belongs to the provider (and process) that started it");

        RelayTask ended = await UntilStatusAsync(timed.Id, RelayStatus.Ended);
        ended.Reason.Should().Contain("end time");
        (await Local.Provider.GetRelayAsync(untilStreamEnds.Id)).Status.Should().Be(RelayStatus.Running);

        await host.DisposeAsync(); // the host stops pushing
        ended = await UntilStatusAsync(untilStreamEnds.Id, RelayStatus.Ended);
        ended.Reason.Should().Contain("stream ended");
    }

    private async Task<RelayTask> UntilStatusAsync(string relayId, RelayStatus status)
    {
        RelayTask relay = await Local.Provider.GetRelayAsync(relayId);
        try
        {
            await Poll.UntilAsync(async () => (relay = await Local.Provider.GetRelayAsync(relayId)).Status == status, $"relay {relayId} to be {status}", 90);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; it is {relay.Status}: {relay.Reason}", ex);
        }

        return relay;
    }

    // ffprobe plays the stream through a signed URL of the server.
    private static async Task ProbeAsync(NginxRelayFixture.Side side, StreamId stream, StreamProtocol protocol = StreamProtocol.Rtmp)
    {
        string url = side.Provider.CreatePlayUrls(stream, InAnHour)[protocol]!;
        string said = string.Empty;
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    await using ToolProcess probe = ToolProcess.Probe(url, "-show_entries", "stream=codec_name", "-of", "csv=p=0");
                    int code = await probe.ExitCodeAsync(Bound);
                    said = probe.Errors;
                    return code == 0 && probe.Output.Contains("h264", StringComparison.Ordinal) && probe.Output.Contains("aac", StringComparison.Ordinal);
                },
                $"ffprobe to play {stream} ({protocol})",
                90);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; ffprobe said: {said}", ex);
        }
    }

    // Processes whose command line holds the text: an ffmpeg left behind would still name its target's secret.
    private static string[] ProcessesNaming(string text) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return string.Empty;
                }
                catch (UnauthorizedAccessException)
                {
                    return string.Empty;
                }
            })
            .Where(c => c.Contains(text, StringComparison.Ordinal))];
}
