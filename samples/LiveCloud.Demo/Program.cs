// The LiveCloud demo: a real nginx-rtmp server on loopback, driven only through IStreamProvider.
// Every step prints what it did; the exit code is 0 only if every step worked.
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using LiveCloud;
using LiveCloud.AspNetCore;
using LiveCloud.Costs;
using LiveCloud.Demo;
using LiveCloud.Nginx;
using LiveCloud.Tencent;

int rtmpPort = Tools.FreePort(), httpPort = Tools.FreePort(), hookPort = Tools.FreePort();
string work = Directory.CreateTempSubdirectory("livecloud-demo-").FullName;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{hookPort}");
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["LiveCloud:Provider"] = "Nginx",
    ["LiveCloud:Nginx:RtmpPort"] = rtmpPort.ToString(CultureInfo.InvariantCulture),
    ["LiveCloud:Nginx:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
    ["LiveCloud:Nginx:WorkDirectory"] = work,
    ["LiveCloud:Nginx:HookBaseUrl"] = $"http://127.0.0.1:{hookPort}/api/callbacks/nginx",
    // A fresh key per run: nothing secret is ever written in the code or printed.
    ["LiveCloud:Nginx:SigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)),
});
builder.Services.AddLiveCloud(builder.Configuration.GetSection("LiveCloud")).AddNginx();
var events = new EventLog();
builder.Services.AddSingleton<IStreamEventObserver>(events);

await using WebApplication app = builder.Build();
app.MapLiveCloudCallbacks();
await app.StartAsync();

var steps = new Steps(Console.Out);
IStreamProvider live = app.Services.GetRequiredService<IStreamProvider>();
NginxRtmpServer server = app.Services.GetRequiredService<NginxRtmpServer>();
TimeProvider clock = TimeProvider.System;
var stream = new StreamId("live", "demo_" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
PushUrl push = default;
PlayUrlSet? play = null;
RecordingTask? recording = null;
System.Diagnostics.Process? publisher = null;
using var http = new HttpClient();

try
{
    bool serverUp = await steps.RunAsync("Start the local nginx-rtmp server (a child process with its own prefix)", async () =>
    {
        await server.StartAsync();
        return $"rtmp://127.0.0.1:{rtmpPort}  ·  http://127.0.0.1:{httpPort}  ·  hooks → http://127.0.0.1:{hookPort}/api/callbacks/nginx";
    });
    if (!serverUp)
    {
        return 1;
    }

    await steps.RunAsync("Sign a push URL, valid for 10 minutes", () =>
    {
        push = live.CreatePushUrl(stream, clock.GetUtcNow().AddMinutes(10));
        return Task.FromResult($"push URL   {push.Url}\nOBS server {push.Server}\nstream key {push.StreamKey}");
    });

    await steps.RunAsync("Push a 12-second test pattern with ffmpeg; the on_publish hook verifies the signature", async () =>
    {
        publisher = Tools.PushTestPattern(push.Url, 12);
        bool online = await Tools.EventuallyAsync(async () => (await live.GetStreamStateAsync(stream)).Status == StreamStatus.Active, TimeSpan.FromSeconds(20));
        if (!online)
        {
            throw new StepFailedException("the stream never showed as active in nginx's /stat");
        }

        StreamState state = await live.GetStreamStateAsync(stream);
        return $"{stream} is {state.Status}; publish event received: {events.Has(stream, StreamEventKind.Published)}";
    });

    await steps.RunAsync("List the online streams", async () =>
    {
        var online = new List<StreamState>();
        await foreach (StreamState s in live.ListOnlineStreamsAsync())
        {
            online.Add(s);
        }

        return online.Any(s => s.Stream == stream)
            ? string.Join('\n', online.Select(s => $"{s.Stream}  {s.Status}  {s.BitrateKbps?.ToString(CultureInfo.InvariantCulture) ?? "?"} kbps in"))
            : throw new StepFailedException($"{stream} is not in the online list");
    });

    await steps.RunAsync("Start recording through the control API", async () =>
    {
        recording = await live.StartRecordingAsync(stream);
        return $"task {recording.Id}";
    });

    await steps.RunAsync("Play it back through a signed HLS URL (ffprobe reads the live playlist)", async () =>
    {
        play = live.CreatePlayUrls(stream, clock.GetUtcNow().AddMinutes(10), new PlayUrlOptions { Client = PlayClient.Web });
        string hls = play[StreamProtocol.Hls] ?? throw new StepFailedException("no HLS URL");
        string probed = "";
        bool plays = await Tools.EventuallyAsync(
            async () =>
            {
                (int code, string output) = await Tools.ProbeAsync(hls, "stream=codec_name,width,height", TimeSpan.FromSeconds(10));
                probed = output;
                return code == 0 && output.Contains("h264", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(25));
        return plays ? $"{hls}\n{probed.ReplaceLineEndings(" ")}" : throw new StepFailedException($"ffprobe could not read {hls}: {probed}");
    });

    await steps.RunAsync("The same playlist without a signature is refused by nginx", async () =>
    {
        string unsigned = $"http://127.0.0.1:{httpPort}/hls/{stream.Name}.m3u8";
        using HttpResponseMessage response = await http.GetAsync(unsigned);
        return response.IsSuccessStatusCode
            ? throw new StepFailedException($"{unsigned} answered {(int)response.StatusCode}")
            : $"{unsigned} → HTTP {(int)response.StatusCode}";
    });

    await steps.RunAsync("A forged push (one character of the signature changed) is refused by nginx", async () =>
    {
        // A correctly signed URL for an idle stream, then one character of its signature changed: only the
        // signature check can refuse it (the live stream's own URL would also clash with its publisher).
        string valid = live.CreatePushUrl(new StreamId(stream.App, stream.Name + "_x"), clock.GetUtcNow().AddMinutes(10)).Url;
        string forged = valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A');
        using System.Diagnostics.Process attacker = Tools.PushTestPattern(forged, 3);
        int? code = await Tools.WaitAsync(attacker, TimeSpan.FromSeconds(20));
        return code is null or 0
            ? throw new StepFailedException("nginx accepted a forged push")
            : $"ffmpeg exited with code {code}: refused by the on_publish hook";
    });

    await steps.RunAsync("Stop recording and list the recorded file (ffprobe reads its duration)", async () =>
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        await live.StopRecordingAsync(recording ?? throw new StepFailedException("no recording was started"));
        RecordedFile? file = null;
        await Tools.EventuallyAsync(
            async () =>
            {
                await foreach (RecordedFile f in live.ListRecordingsAsync(stream))
                {
                    file = f;
                }

                return file is { Duration.TotalSeconds: > 0 };
            },
            TimeSpan.FromSeconds(15));
        if (file is null)
        {
            throw new StepFailedException("no recording listed");
        }

        (int code, string duration) = await Tools.ProbeAsync(file.PlaybackUrl.ToString(), "format=duration", TimeSpan.FromSeconds(10));
        return code == 0 && double.TryParse(duration, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0
            ? $"{file.PlaybackUrl}\n{seconds:0.0} s, {file.SizeBytes} bytes, {file.Format}"
            : throw new StepFailedException($"ffprobe could not read {file.PlaybackUrl}: {duration}");
    });

    await steps.RunAsync("The push ends; the stream leaves the online list and publish_done arrives", async () =>
    {
        int? code = publisher is null ? null : await Tools.WaitAsync(publisher, TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new StepFailedException($"ffmpeg ended with {code?.ToString(CultureInfo.InvariantCulture) ?? "a timeout"}");
        }

        bool gone = await Tools.EventuallyAsync(async () => (await live.GetStreamStateAsync(stream)).Status == StreamStatus.Inactive && events.Has(stream, StreamEventKind.Unpublished), TimeSpan.FromSeconds(15));
        return gone ? $"{stream} is inactive; events seen: {events.Describe(stream)}" : throw new StepFailedException("the stream did not go inactive");
    });

    await steps.RunAsync("What a show costs: 100 viewers × 4 h at 556 kbps (≈ 100 GB)", () =>
    {
        var profile = new UsageProfile { PeakViewers = 100, BitrateKbps = 556, HoursPerDay = 4 };
        CostEstimate[] estimates =
        [
            CostEngine.Estimate(TencentStreamProvider.ListPriceTable, profile),
            live.EstimateCost(profile),
        ];
        return Task.FromResult(string.Join('\n', estimates.OrderBy(e => e.Total).Select(e =>
            $"{e.Provider,-8} {e.Total,8:0.00} {e.Currency}  {e.BillingMode,-20} prices as of {e.PriceTableAsOf:yyyy-MM-dd}: {e.PriceTableSource}")));
    });
}
finally
{
    if (publisher is { HasExited: false })
    {
        publisher.Kill(entireProcessTree: true);
    }

    publisher?.Dispose();
    await steps.RunAsync("Stop everything the demo started", async () =>
    {
        await server.StopAsync();
        await app.StopAsync();
        Directory.Delete(work, recursive: true);
        return "nginx stopped, hook endpoint stopped, work folder removed";
    });
}

Console.WriteLine(steps.Failures == 0 ? "\nDemo passed: every step worked." : $"\nDemo FAILED: {steps.Failures} step(s) did not work.");
return steps.Failures == 0 ? 0 : 1;

/// <summary>Every verified event the hook endpoint delivered.</summary>
internal sealed class EventLog : IStreamEventObserver
{
    private readonly ConcurrentQueue<StreamEvent> _events = new();

    public ValueTask<StreamEventDecision> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(streamEvent);
        return ValueTask.FromResult(StreamEventDecision.Accept);
    }

    public bool Has(StreamId stream, StreamEventKind kind) => _events.Any(e => e.Stream == stream && e.Kind == kind);

    public string Describe(StreamId stream) => string.Join(", ", _events.Where(e => e.Stream == stream).Select(e => e.Kind).Distinct());
}
