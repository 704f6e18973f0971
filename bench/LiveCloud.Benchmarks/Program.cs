using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace LiveCloud.Benchmarks;

/// <summary>
/// Modes: <c>check</c> (the sample-style signers produce exactly the library's URLs; prints their lengths as JSON),
/// <c>bench [--full] [--artifacts DIR] [BDN args]</c> (the BenchmarkDotNet suites), <c>soak [--calls N] [--seconds S] [--out FILE]</c>,
/// <c>herd --base URL --room ID [--pid PID] [--viewers N] [--spread S] [--connections C] [--out FILE]</c> (the live-rooms
/// thundering herd), <c>wsfanout --base URL --created ROOM_JSON [--pid PID] [--viewers N] [--out FILE]</c> (the live-rooms
/// WebSocket fan-out), <c>failover [--runs N] [--out FILE]</c> (the multi-cloud failover with two real nginx), and <c>emulators</c> (the vendor emulators in a child process, for the soak).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "bench";
        string[] rest = args.Length > 0 ? args[1..] : [];
        return mode switch
        {
            "check" => Check.Run(),
            "soak" => await Soak.RunAsync(rest).ConfigureAwait(false),
            "herd" => await Herd.RunAsync(rest).ConfigureAwait(false),
            "wsfanout" => await WsFanout.RunAsync(rest).ConfigureAwait(false),
            "failover" => await Failover.RunAsync(rest).ConfigureAwait(false),
            "emulators" => await EmulatorHost.RunAsync().ConfigureAwait(false),
            "bench" => RunBenchmarks(rest),
            _ => Usage(mode),
        };
    }

    private static int Usage(string mode)
    {
        Console.Error.WriteLine($"Unknown mode '{mode}'. Modes: check | bench [--full] [--artifacts DIR] [BenchmarkDotNet args] | soak [--calls N] [--seconds S] [--out FILE] | herd --base URL --room ID [--pid PID] [--out FILE] | wsfanout --base URL --created ROOM_JSON [--pid PID] [--viewers N] [--out FILE] | failover [--runs N] [--out FILE] | emulators");
        return 2;
    }

    private static int RunBenchmarks(string[] args)
    {
        bool full = false;
        string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
        var passThrough = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--full")
            {
                full = true;
            }
            else if (args[i] == "--artifacts" && i + 1 < args.Length)
            {
                artifacts = args[++i];
            }
            else
            {
                passThrough.Add(args[i]);
            }
        }

        if (!passThrough.Contains("--filter"))
        {
            passThrough.AddRange(["--filter", "*"]);
        }

        // In-process: no generated project to build (it would inherit the repo's warnings-as-errors analyzers),
        // and the loopback emulators of the API suite live in the measured process either way.
        Job job = full
            ? Job.Default.WithId("Default")
            : Job.Default.WithId("Short").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(12).WithIterationTime(TimeInterval.FromMilliseconds(150));
        IConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .AddExporter(JsonExporter.Full)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. passThrough], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

/// <summary>Proves the side-by-side is fair: every sample-style signer yields the library's exact URLs.</summary>
public static class Check
{
    public static int Run()
    {
        int failures = 0;
        var lengths = new Dictionary<string, int>();
        void Same(string what, IReadOnlyList<string> library, IReadOnlyList<string> sample)
        {
            bool ok = library.SequenceEqual(sample);
            Console.Error.WriteLine($"{(ok ? "ok  " : "DIFF")} {what}");
            if (!ok)
            {
                failures++;
                for (int i = 0; i < Math.Max(library.Count, sample.Count); i++)
                {
                    Console.Error.WriteLine($"  library: {(i < library.Count ? library[i] : "-")}");
                    Console.Error.WriteLine($"  sample : {(i < sample.Count ? sample[i] : "-")}");
                }
            }

            lengths[what] = library.Sum(u => u.Length);
            lengths[what + ".count"] = library.Count;
        }

        var t = new TencentUrls();
        t.GlobalSetup();
        Same("Tencent.Push", [t.PushLiveCloud()], [t.PushSampleStyle()]);
        Same("Tencent.PlaySet", [.. t.PlaySetLiveCloud().Urls.Select(u => u.Url)], t.PlaySetSampleStyle());
        var a = new AliyunUrls();
        a.GlobalSetup();
        Same("Aliyun.Push", [a.PushLiveCloud()], [a.PushSampleStyle()]);
        Same("Aliyun.PlaySet", [.. a.PlaySetLiveCloud().Urls.Select(u => u.Url)], a.PlaySetSampleStyle());
        var q = new QiniuUrls();
        q.GlobalSetup();
        Same("Qiniu.Push", [q.PushLiveCloud()], [q.PushSampleStyle()]);
        Same("Qiniu.PlaySet", [.. q.PlaySetLiveCloud().Urls.Select(u => u.Url)], q.PlaySetSampleStyle());
        var n = new NginxUrls();
        n.GlobalSetup();
        Same("Nginx.Push", [n.PushLiveCloud()], [n.PushSampleStyle()]);
        Same("Nginx.PlaySet", [.. n.PlaySetLiveCloud().Urls.Select(u => u.Url)], n.PlaySetSampleStyle());
        var cb = new Callbacks();
        cb.GlobalSetup();
        foreach ((string vendor, Func<ValueTask<StreamEvent>> parse) in new (string, Func<ValueTask<StreamEvent>>)[] { ("Tencent", cb.Tencent), ("Aliyun", cb.Aliyun), ("Qiniu", cb.Qiniu), ("Nginx", cb.Nginx) })
        {
            StreamEvent ev = parse().AsTask().GetAwaiter().GetResult();
            bool ok = ev.Kind == StreamEventKind.Published && ev.Stream.Name == "room_1001";
            failures += ok ? 0 : 1;
            Console.Error.WriteLine($"{(ok ? "ok  " : "FAIL")} {vendor} callback: {ev.Kind} {ev.Stream}");
        }

        foreach (string vendor in new[] { "Tencent", "Aliyun", "Qiniu" })
        {
            using var api = new ApiPath { Vendor = vendor };
            api.GlobalSetup();
            int raw = api.Raw().GetAwaiter().GetResult();
            int domains = api.Adapter().GetAwaiter().GetResult();
            bool ok = raw > 0 && domains >= 2;
            failures += ok ? 0 : 1;
            Console.Error.WriteLine($"{(ok ? "ok  " : "FAIL")} {vendor} API: raw body {raw} chars, adapter {domains} domains");
        }

        Console.WriteLine(JsonSerializer.Serialize(lengths));
        return failures == 0 ? 0 : 1;
    }
}
