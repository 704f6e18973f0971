using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveCloud.Benchmarks;

/// <summary>
/// The thundering herd of the live-rooms sample: <c>--viewers</c> (default 5,000) viewers open one room within
/// <c>--spread</c> seconds (default 1): that many <c>GET /api/rooms/{id}?client=web</c>, started evenly over the spread,
/// through one <see cref="SocketsHttpHandler"/> with at most <c>--connections</c> (default 256) connections. Counts
/// non-200s and exceptions; checks every answer shows the room with the state it had before, and that
/// <c>GET /api/rooms</c> still lists exactly one such room (no duplicate room state) and as many rooms as before; samples
/// the app's resident memory (VmRSS of <c>--pid</c>) before, at its peak and after. Writes JSON to <c>--out</c>;
/// exits 1 on a failed check.
/// </summary>
public static class Herd
{
    /// <summary>The resident-memory growth (peak over before) the herd may cause: "memory bounded".</summary>
    public const long MaxRssGrowthKiB = 256 * 1024;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        Uri baseAddress = new(Text(args, "--base") ?? throw new ArgumentException("--base URL is required"));
        string room = Text(args, "--room") ?? throw new ArgumentException("--room ID is required");
        int pid = int.Parse(Text(args, "--pid") ?? "0", CultureInfo.InvariantCulture);
        int viewers = int.Parse(Text(args, "--viewers") ?? "5000", CultureInfo.InvariantCulture);
        double spread = double.Parse(Text(args, "--spread") ?? "1", CultureInfo.InvariantCulture);
        int connections = int.Parse(Text(args, "--connections") ?? "256", CultureInfo.InvariantCulture);
        string? output = Text(args, "--out");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

        (int totalBefore, string? stateBefore, int matchesBefore) = await ListAsync(client, room).ConfigureAwait(false);
        long rssBefore = RssKiB(pid);
        long rssPeak = rssBefore;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                rssPeak = Math.Max(rssPeak, RssKiB(pid));
                try
                {
                    await Task.Delay(20, sampling.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var statuses = new ConcurrentDictionary<int, int>();
        var errors = new ConcurrentDictionary<string, int>();
        var states = new ConcurrentDictionary<string, int>();
        double[] latencies = new double[viewers];
        var tasks = new Task[viewers];
        string path = $"/api/rooms/{Uri.EscapeDataString(room)}?client=web";
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < viewers; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(spread * i / viewers);
            if (due > clock.Elapsed + TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            }

            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using HttpResponseMessage response = await client.GetAsync(path).ConfigureAwait(false);
                    string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        RoomView? view = JsonSerializer.Deserialize<RoomView>(body, Web);
                        string key = $"{view?.Id}/{view?.State}/{view?.Play?.Count ?? 0} play URLs";
                        states.AddOrUpdate(key, 1, (_, n) => n + 1);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or JsonException)
                {
                    errors.AddOrUpdate(ex.GetType().Name + ": " + ex.Message, 1, (_, n) => n + 1);
                }

                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            });
        }

        double fired = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(tasks).ConfigureAwait(false);
        double completed = clock.Elapsed.TotalSeconds;
        await Task.Delay(500).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        long rssAfter = RssKiB(pid);
        (int totalAfter, string? stateAfter, int matchesAfter) = await ListAsync(client, room).ConfigureAwait(false);

        Array.Sort(latencies);
        int ok = statuses.GetValueOrDefault(200);
        var failures = new List<string>();
        if (ok != viewers)
        {
            failures.Add($"{viewers - ok} of {viewers} requests were not 200");
        }

        if (!errors.IsEmpty)
        {
            failures.Add($"{errors.Values.Sum()} exceptions");
        }

        if (states.Count != 1 || !states.Keys.Single().StartsWith($"{room}/{stateBefore}/", StringComparison.Ordinal))
        {
            failures.Add($"the answers showed {states.Count} room states ({string.Join(", ", states.Keys)}); expected one: {room}/{stateBefore}");
        }

        if (matchesBefore != 1 || matchesAfter != 1 || totalAfter != totalBefore || stateAfter != stateBefore)
        {
            failures.Add($"GET /api/rooms listed the room {matchesBefore} then {matchesAfter} times, {totalBefore} then {totalAfter} rooms, state {stateBefore} then {stateAfter}");
        }

        if (pid > 0 && rssPeak - rssBefore > MaxRssGrowthKiB)
        {
            failures.Add($"resident memory grew by {(rssPeak - rssBefore) / 1024} MiB (limit {MaxRssGrowthKiB / 1024} MiB)");
        }

        var result = new HerdResult(
            viewers, spread, connections, fired, completed, ok,
            statuses.Where(s => s.Key != 200).ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value),
            errors.ToDictionary(e => e.Key, e => e.Value),
            states.ToDictionary(s => s.Key, s => s.Value),
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1],
            totalBefore, totalAfter, matchesBefore, matchesAfter, stateBefore, stateAfter,
            rssBefore, rssPeak, rssAfter, MaxRssGrowthKiB, failures.Count == 0, failures);
        string json = JsonSerializer.Serialize(result, Indented);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, json).ConfigureAwait(false);
        }

        Console.WriteLine(json);
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<(int Total, string? State, int Matches)> ListAsync(HttpClient client, string room)
    {
        RoomPage page = await client.GetFromJsonAsync<RoomPage>("/api/rooms?pageSize=100", Web).ConfigureAwait(false)
            ?? throw new InvalidOperationException("GET /api/rooms answered nothing.");
        RoomSummary[] matches = [.. page.Items.Where(r => r.Id == room)];
        return (page.Total, matches.FirstOrDefault()?.State, matches.Length);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    // The resident set of a process in KiB, from /proc/PID/status (0 when unknown).
    internal static long RssKiB(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public sealed record RoomView(string Id, string Title, string State, IReadOnlyList<PlayView>? Play);

    public sealed record PlayView(string Protocol, string Url);

    public sealed record RoomSummary(string Id, string State);

    public sealed record RoomPage(IReadOnlyList<RoomSummary> Items, int Total);

    public sealed record HerdResult(
        int Viewers, double SpreadSeconds, int MaxConnections, double FiredSeconds, double CompletedSeconds, int Ok,
        Dictionary<string, int> NonOk, Dictionary<string, int> Exceptions, Dictionary<string, int> RoomStates,
        double P50Ms, double P99Ms, double MaxMs,
        int RoomsBefore, int RoomsAfter, int ListedBefore, int ListedAfter, string? StateBefore, string? StateAfter,
        long RssBeforeKiB, long RssPeakKiB, long RssAfterKiB, long MaxRssGrowthKiB, bool Passed, IReadOnlyList<string> Failures);
}
