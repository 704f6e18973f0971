using System.Collections.Concurrent;
using LiveCloud.Testing.MultiCloud;

namespace LiveCloud.MultiCloud.Tests;

/// <summary>
/// The proof with real parts: two real nginx-rtmp servers as two members of one multi-cloud provider, an ffmpeg host that
/// asks for a fresh push URL after each failure, an ffmpeg viewer that asks for play URLs again when its read ends, stalls
/// or the provider says the serving member changed. The serving nginx is SIGKILLed mid-show, then brought back.
/// Times are measured by the bench (scripts/bench.sh), never asserted here.
/// </summary>
[Trait("Category", "RealParts")]
public sealed class FailoverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public FailoverTests() => RealParts.Require(RealParts.Nginx, RealParts.Ffmpeg, RealParts.Ffprobe);

    [SkippableFact]
    public async Task Killing_the_serving_nginx_moves_host_and_viewers_to_the_other_as_one_show_and_its_return_flaps_nothing()
    {
        await using FailoverRig rig = await FailoverRig.StartAsync();
        MultiCloudStreamProvider show = rig.Show;
        var stream = new StreamId("live", "failover_1");
        var events = new ConcurrentQueue<StreamEvent>();
        await using ReconnectingHost host = ReconnectingHost.Start(show, stream);
        await Poll.UntilAsync(() => show.Ledger.Find(stream) is { State: ShowState.Live, HostProvider: FailoverRig.Primary }, "the show live on NginxA", 60);
        await using ReconnectingViewer viewer = ReconnectingViewer.Start(show, stream);
        show.EventRaised += (_, e) =>
        {
            events.Enqueue(e);
            if (e.Kind == StreamEventKind.ServingProviderChanged && e.Stream == stream)
            {
                viewer.Switch();
            }
        };
        await Poll.UntilAsync(() => viewer.Media.Any(m => m.Provider == FailoverRig.Primary), "the viewer playing from NginxA", 60);

        DateTimeOffset killed = DateTimeOffset.UtcNow;
        rig.Kill(FailoverRig.Primary);

        await Poll.UntilAsync(() => !show.Health.IsUp(FailoverRig.Primary), "NginxA marked down", 60);
        await Poll.UntilAsync(() => show.Ledger.Find(stream) is { State: ShowState.Live, HostProvider: FailoverRig.Backup }, "the host on NginxB", 60);
        // The ledger moves the host at NginxB's on_publish hook, which nginx calls before /stat lists the publisher: poll.
        await Poll.UntilAsync(async () => (await rig.Member(FailoverRig.Backup).GetStreamStateAsync(stream)).Status == StreamStatus.Active, "NginxB's /stat to see the push", 30);
        host.Attempts[^1].Server.Should().Be($"127.0.0.1:{rig.Options(FailoverRig.Backup).RtmpPort}", "the host's last fresh URL is NginxB's");
        await Poll.UntilAsync(() => viewer.GapAround(killed, FailoverRig.Backup) is not null, "the viewer playing again from NginxB", 60);

        PlayUrlSet urls = show.CreatePlayUrls(stream, DateTimeOffset.UtcNow.AddHours(1), new PlayUrlOptions { Protocols = [StreamProtocol.Hls] });
        urls.Provider.Should().Be(FailoverRig.Backup);
        await using (ToolProcess probe = ToolProcess.Probe(urls[StreamProtocol.Hls]!, "-show_entries", "stream=codec_type", "-of", "csv=p=0"))
        {
            (await probe.ExitCodeAsync(Bound)).Should().Be(0, "ffprobe reads the show from NginxB: {0}", probe.Errors);
            probe.Output.Should().Contain("video");
        }

        ShowSession session = show.Ledger.Sessions(stream).Should().ContainSingle("one show, across the failover").Subject;
        session.State.Should().Be(ShowState.Live);
        session.Timeline.Should().NotContain(e => e.Kind == TimelineEntryKind.Ended, "the room never reported 'ended'");
        session.Timeline.Should().Contain(e => e.Kind == TimelineEntryKind.ProviderDown && e.Provider == FailoverRig.Primary);
        session.Timeline.Should().ContainSingle(e => e.Kind == TimelineEntryKind.HostMoved)
            .Which.Should().Match<TimelineEntry>(e => e.PreviousProvider == FailoverRig.Primary && e.Provider == FailoverRig.Backup);
        session.Timeline.Should().ContainSingle(e => e.Kind == TimelineEntryKind.ViewersSwitched).Which.Provider.Should().Be(FailoverRig.Backup);
        session.Timeline.Select(e => e.Kind).Should().ContainInOrder(
            TimelineEntryKind.Started, TimelineEntryKind.ProviderDown, TimelineEntryKind.HostMoved, TimelineEntryKind.ViewersSwitched);
        events.Where(e => e.Kind == StreamEventKind.ServingProviderChanged).Should().ContainSingle().Which.VendorEventType.Should().Be(FailoverRig.Backup);
        events.Should().Contain(e => e.Kind == StreamEventKind.ProviderHealthChanged && e.VendorEventType == FailoverRig.Primary);

        await rig.RestartAsync(FailoverRig.Primary);

        await Poll.UntilAsync(() => show.Health.IsUp(FailoverRig.Primary), "NginxA marked up again", 60);
        await Poll.UntilAsync(() => show.Ledger.Find(stream)!.Timeline.Any(e => e.Kind == TimelineEntryKind.ProviderUp), "NginxA's return in the timeline", 30);
        show.CreatePlayUrls(stream, DateTimeOffset.UtcNow.AddHours(1)).Provider.Should().Be(FailoverRig.Backup, "the show is not on NginxA: its viewers stay");
        show.RoutePush(stream).Provider.Should().Be(FailoverRig.Backup, "nor is its host sent back");
        events.Count(e => e.Kind == StreamEventKind.ServingProviderChanged).Should().Be(1, "no viewer was flapped back");
        show.Ledger.Sessions(stream).Should().ContainSingle().Which.Should().Match<ShowSession>(s => s.State == ShowState.Live && s.HostProvider == FailoverRig.Backup);
    }
}
