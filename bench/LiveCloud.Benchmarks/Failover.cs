using System.Globalization;
using System.Text.Json;
using LiveCloud.MultiCloud;
using LiveCloud.Testing;
using LiveCloud.Testing.MultiCloud;

namespace LiveCloud.Benchmarks;

/// <summary>
/// The multi-cloud failover, measured with real parts (issue 17): two real nginx-rtmp servers as the members of one
/// multi-cloud provider (the failover test's rig), an ffmpeg host that asks for a fresh push URL after each failure, an
/// ffmpeg viewer reading HLS that asks for play URLs again when its read ends, stalls, or the provider raises
/// <see cref="StreamEventKind.ServingProviderChanged"/>. The serving nginx is SIGKILLed after the viewer has played for a
/// few seconds. Per run: time to detect (the member marked down), time until the host is on the other server (its publish
/// there recorded), and the viewer's black gap (last media from the dead server to first media from the other) and when
/// it plays again, all from the kill. <c>--runs N</c> (default 3) fresh rigs; JSON to <c>--out</c>.
/// </summary>
public static class Failover
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<int> RunAsync(string[] args)
    {
        int runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(3);
        string? output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
        var results = new List<Run>();
        for (int i = 1; i <= runs; i++)
        {
            Run run = await OneAsync(i).ConfigureAwait(false);
            results.Add(run);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failover {i}/{runs}: detected {run.DetectSeconds:0.00} s, host on the other server {run.HostMovedSeconds:0.00} s, viewer playing again {run.PlayingAgainSeconds:0.00} s (black gap {run.GapSeconds:0.00} s)"));
        }

        var report = new
        {
            runs = results,
            settings = new
            {
                probeIntervalSeconds = 1.0,
                probeTimeoutSeconds = 1.0,
                failuresToMarkDown = 3,
                hostRetrySeconds = 0.5,
                viewerStallSeconds = ReconnectingViewer.StallTimeout.TotalSeconds,
                hlsFragmentSeconds = 1,
                hlsPlaylistSeconds = 10,
            },
            targets = new { detectSeconds = 5.0, playingAgainSeconds = 15.0 },
        };
        string json = JsonSerializer.Serialize(report, Indented);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, json).ConfigureAwait(false);
        }
        else
        {
            Console.WriteLine(json);
        }

        return 0;
    }

    private static async Task<Run> OneAsync(int number)
    {
        await using FailoverRig rig = await FailoverRig.StartAsync().ConfigureAwait(false);
        MultiCloudStreamProvider show = rig.Show;
        var stream = new StreamId("live", "bench_failover_" + number.ToString(CultureInfo.InvariantCulture));
        DateTimeOffset? down = null;
        DateTimeOffset? moved = null;
        show.Health.HealthChanged += (_, e) =>
        {
            if (!e.Health.IsUp && e.Health.Provider == FailoverRig.Primary)
            {
                down ??= DateTimeOffset.UtcNow;
            }
        };
        show.Ledger.EntryAdded += (_, e) =>
        {
            if (e.Entry.Kind == TimelineEntryKind.HostMoved && e.Session.Stream == stream)
            {
                moved ??= DateTimeOffset.UtcNow;
            }
        };

        await using ReconnectingHost host = ReconnectingHost.Start(show, stream);
        await Poll.UntilAsync(() => show.Ledger.Find(stream) is { State: ShowState.Live, HostProvider: FailoverRig.Primary }, "the show live on NginxA", 60).ConfigureAwait(false);
        await using ReconnectingViewer viewer = ReconnectingViewer.Start(show, stream);
        show.EventRaised += (_, e) =>
        {
            if (e.Kind == StreamEventKind.ServingProviderChanged && e.Stream == stream)
            {
                viewer.Switch();
            }
        };
        await Poll.UntilAsync(() => viewer.Media.Count(m => m.Provider == FailoverRig.Primary) > 20, "the viewer playing from NginxA for a few seconds", 60).ConfigureAwait(false);

        DateTimeOffset killed = DateTimeOffset.UtcNow;
        rig.Kill(FailoverRig.Primary);
        await Poll.UntilAsync(() => viewer.GapAround(killed, FailoverRig.Backup) is not null && moved is not null && down is not null, "the viewer playing again from NginxB", 90).ConfigureAwait(false);
        (DateTimeOffset last, DateTimeOffset first) = viewer.GapAround(killed, FailoverRig.Backup)!.Value;
        return new Run(
            Seconds(down!.Value - killed),
            Seconds(moved!.Value - killed),
            Seconds(first - killed),
            Seconds(first - last),
            host.Attempts.Count(a => a.At > killed));
    }

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 2);

    /// <summary>One run's figures, in seconds from the kill.</summary>
    /// <param name="DetectSeconds">Until the member was marked down.</param>
    /// <param name="HostMovedSeconds">Until the host's publish on the other server was recorded.</param>
    /// <param name="PlayingAgainSeconds">Until the viewer received media from the other server.</param>
    /// <param name="GapSeconds">The viewer's black gap: from the last media of the dead server to the first of the other.</param>
    /// <param name="HostAttempts">Push attempts the host made after the kill (fresh URLs asked for).</param>
    public sealed record Run(double DetectSeconds, double HostMovedSeconds, double PlayingAgainSeconds, double GapSeconds, int HostAttempts);
}
