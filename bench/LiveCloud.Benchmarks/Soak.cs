using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LiveCloud.Benchmarks;

/// <summary>
/// The soak: <c>--calls</c> domain-list calls per vendor (default 10,000) through the adapters, <c>--concurrency</c>
/// at a time per vendor (default 8), against the emulators running in a child process (so their request logs
/// do not count as this process's memory), bounded by <c>--seconds</c> (default 300). After each tenth of the
/// calls it records the client sockets to the emulators (from /proc/net/tcp and /proc/net/tcp6) and the managed
/// heap after a full GC. Passes when neither grows after the first tenth (the connection pool and caches warm up
/// there). Writes the figures as JSON to <c>--out</c>.
/// </summary>
public static class Soak
{
    private const int Rounds = 10;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        int calls = Option(args, "--calls", 10_000);
        int concurrency = Option(args, "--concurrency", 8);
        int seconds = Option(args, "--seconds", 300);
        string? output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();

        using EmulatorProcess child = EmulatorProcess.Start();
        Dictionary<string, Uri> endpoints = child.Endpoints;
        int[] ports = [.. endpoints.Values.Select(u => u.Port)];
        Dictionary<string, IStreamProvider> providers = endpoints.ToDictionary(e => e.Key, e => Clients.For(e.Key, e.Value).Provider);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var rounds = new List<Checkpoint>();
        int done = 0;
        bool complete = true;
        try
        {
            for (int round = 1; round <= Rounds; round++)
            {
                int perVendor = (calls / Rounds) + (round <= calls % Rounds ? 1 : 0);
                await Task.WhenAll(providers.Values.Select(p => Parallel.ForAsync(0, perVendor, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline.Token }, async (i, token) =>
                {
                    int count = 0;
                    await foreach (LiveDomain _ in p.ListDomainsAsync(token).ConfigureAwait(false))
                    {
                        count++;
                    }

                    if (count < 2)
                    {
                        throw new InvalidOperationException($"{p.Name} listed {count} domains.");
                    }
                }))).ConfigureAwait(false);
                done += perVendor;
                rounds.Add(Measure(done, ports, clock.Elapsed));
                Console.Error.WriteLine($"soak: {done,6} calls per vendor, {rounds[^1].Sockets} sockets ({rounds[^1].Established} established), heap {rounds[^1].HeapBytes / 1024} KiB after GC");
            }
        }
        catch (OperationCanceledException)
        {
            complete = false;
            Console.Error.WriteLine($"soak: stopped by the {seconds} s bound after {done} calls per vendor");
        }

        Checkpoint first = rounds.FirstOrDefault() ?? Measure(0, ports, clock.Elapsed);
        Checkpoint last = rounds.LastOrDefault() ?? first;
        int maxSockets = rounds.Count == 0 ? 0 : rounds.Skip(1).Select(r => r.Sockets).DefaultIfEmpty(first.Sockets).Max();
        long heapGrowth = last.HeapBytes - first.HeapBytes;
        // Noise allowance for the heap: 5% of the first reading or 256 KiB, whichever is larger.
        long heapAllowance = Math.Max(first.HeapBytes / 20, 256 * 1024);
        bool socketsOk = maxSockets <= first.Sockets;
        bool heapOk = heapGrowth <= heapAllowance;
        var result = new
        {
            callsPerVendor = done,
            vendors = providers.Keys.ToArray(),
            concurrency,
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            complete,
            socketsAfterFirstTenth = first.Sockets,
            maxSocketsAfter = maxSockets,
            heapAfterFirstTenth = first.HeapBytes,
            heapAtEnd = last.HeapBytes,
            heapGrowth,
            heapAllowance,
            socketsOk,
            heapOk,
            passed = complete && socketsOk && heapOk,
            rounds,
        };
        string json = JsonSerializer.Serialize(result, Indented);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, json).ConfigureAwait(false);
        }

        Console.WriteLine(json);
        return result.passed ? 0 : 1;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static Checkpoint Measure(int calls, int[] ports, TimeSpan elapsed)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        (int sockets, int established) = ClientSockets(ports);
        using var self = Process.GetCurrentProcess();
        return new Checkpoint(calls, Math.Round(elapsed.TotalSeconds, 2), sockets, established, heap, self.WorkingSet64);
    }

    /// <summary>Client-side TCP sockets (any state but LISTEN) whose remote port is one of the emulators'.</summary>
    public static (int All, int Established) ClientSockets(int[] ports)
    {
        int all = 0;
        int established = 0;
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4)
                {
                    continue;
                }

                string remote = fields[2];
                int port = int.Parse(remote[(remote.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (ports.Contains(port) && fields[3] != "0A")
                {
                    all++;
                    established += fields[3] == "01" ? 1 : 0;
                }
            }
        }

        return (all, established);
    }

    public sealed record Checkpoint(int Calls, double Seconds, int Sockets, int Established, long HeapBytes, long WorkingSetBytes);
}

/// <summary>The vendor emulators in a child process (this program's <c>emulators</c> mode), stopped on dispose.</summary>
public sealed class EmulatorProcess : IDisposable
{
    private readonly Process _child;

    private EmulatorProcess(Process child, Dictionary<string, Uri> endpoints)
    {
        _child = child;
        Endpoints = endpoints;
    }

    public Dictionary<string, Uri> Endpoints { get; }

    public static EmulatorProcess Start()
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(EmulatorProcess).Assembly.Location);
        }

        start.ArgumentList.Add("emulators");
        Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator process.");
        var endpoints = new Dictionary<string, Uri>();
        while (child.StandardOutput.ReadLine() is { } line && line != "READY")
        {
            string[] parts = line.Split(' ', 2);
            endpoints[parts[0]] = new Uri(parts[1]);
        }

        if (endpoints.Count != 3)
        {
            child.Kill();
            child.Dispose();
            throw new InvalidOperationException("The emulator process did not report its endpoints.");
        }

        return new EmulatorProcess(child, endpoints);
    }

    public void Dispose()
    {
        _child.StandardInput.Close();
        if (!_child.WaitForExit(10_000))
        {
            _child.Kill();
        }

        _child.Dispose();
    }
}

/// <summary>The <c>emulators</c> mode: starts the three emulators, prints "{vendor} {endpoint}" lines and READY, runs until stdin closes.</summary>
public static class EmulatorHost
{
    public static async Task<int> RunAsync()
    {
        await using Emulators emulators = await Emulators.StartAsync().ConfigureAwait(false);
        foreach (string vendor in new[] { "Tencent", "Aliyun", "Qiniu" })
        {
            Console.WriteLine($"{vendor} {emulators.Endpoint(vendor)}");
        }

        Console.WriteLine("READY");
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }
}
