using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LiveCloud.MultiCloud;
using LiveCloud.Nginx;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveCloud.Testing.MultiCloud;

/// <summary>
/// Two real nginx-rtmp servers on free loopback ports as the members <c>NginxA</c> (primary) and <c>NginxB</c> of the
/// multi-cloud provider <c>Show</c>, configured as an app configures them (sections with <c>"Type"</c>), with their hooks
/// on the real callback endpoint (<c>MapLiveCloudCallbacks</c>, one route per member) of a Kestrel app: what the failover
/// test and the failover bench run. A killed server stays down (its restart delay is an hour) until
/// <see cref="RestartAsync"/>: nginx's supervision would otherwise bring it back within a second, before any outage shows.
/// </summary>
/// <remarks>Shared by the multi-cloud tests and the benchmarks (linked into both): it needs the nginx package, which the
/// shared test library does not reference.</remarks>
internal sealed class FailoverRig : IAsyncDisposable
{
    public const string Primary = "NginxA";
    public const string Backup = "NginxB";

    private readonly WebApplication _app;
    private readonly string _work;

    private FailoverRig(WebApplication app, string work)
    {
        _app = app;
        _work = work;
    }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The multi-cloud provider (the app's default <see cref="IStreamProvider"/>), undecorated.</summary>
    public MultiCloudStreamProvider Show => Services.GetRequiredService<IStreamProvider>().GetRequiredService<MultiCloudStreamProvider>();

    /// <summary>Starts the app and both servers.</summary>
    /// <param name="tweak">Changes to the configuration (keys under <c>LiveCloud:</c>) before the app starts.</param>
    public static async Task<FailoverRig> StartAsync(Action<Dictionary<string, string?>>? tweak = null)
    {
        RealParts.Require(RealParts.Nginx, RealParts.Ffmpeg, RealParts.Ffprobe);
        int appPort = FreePort();
        string work = Path.Combine(Path.GetTempPath(), "livecloud-failover-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Show",
            ["LiveCloud:Show:Type"] = "MultiCloud",
            ["LiveCloud:Show:Primary"] = Primary,
            ["LiveCloud:Show:Backups:0"] = Backup,
            ["LiveCloud:Show:ReconnectWindow"] = "00:00:30",
            ["LiveCloud:Show:Health:ProbeInterval"] = "00:00:01",
            ["LiveCloud:Show:Health:ProbeTimeout"] = "00:00:01",
            ["LiveCloud:Show:Health:FailuresToMarkDown"] = "3",
            ["LiveCloud:Show:Health:SuccessesToMarkUp"] = "3",
            ["LiveCloud:Show:Health:PollInterval"] = "00:00:05",
        };
        foreach (string member in new[] { Primary, Backup })
        {
            string key = $"LiveCloud:{member}:";
            settings[key + "Type"] = "Nginx";
            settings[key + "SigningKey"] = "failover-signing-key-" + member + "-" + Guid.NewGuid().ToString("N");
            settings[key + "RtmpPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
            settings[key + "HttpPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
            settings[key + "HookBaseUrl"] = $"http://127.0.0.1:{appPort}/api/callbacks/{member}";
            settings[key + "WorkDirectory"] = Path.Combine(work, member);
            settings[key + "StartTimeout"] = "00:00:30";
            settings[key + "RestartDelay"] = "01:00:00";
            settings[key + "MaxRestartDelay"] = "01:00:00";
        }

        tweak?.Invoke(settings);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, appPort));
        builder.Services.AddLiveCloud(builder.Configuration.GetSection("LiveCloud")).AddNginx();
        WebApplication app = builder.Build();
        app.MapLiveCloudCallbacks();
        var rig = new FailoverRig(app, work);
        try
        {
            await app.StartAsync();
            await Task.WhenAll(rig.Server(Primary).StartAsync(), rig.Server(Backup).StartAsync());
            _ = rig.Show; // the composite starts its checks
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }

        return rig;
    }

    /// <summary>A member as the app sees it (keyed, with its tap).</summary>
    public IStreamProvider Member(string name) => Services.GetRequiredKeyedService<IStreamProvider>(name);

    /// <summary>A member's options.</summary>
    public NginxOptions Options(string name) => Services.GetRequiredService<IOptionsMonitor<NginxOptions>>().Get(name);

    /// <summary>A member's nginx.</summary>
    public NginxRtmpServer Server(string name) => Services.GetRequiredKeyedService<NginxRtmpServer>(name);

    /// <summary>SIGKILLs a member's nginx, master and worker (a killed master's worker would keep serving its streams).</summary>
    public void Kill(string name)
    {
        NginxServerHealth health = Server(name).Health;
        foreach (int? pid in new[] { health.ProcessId, health.WorkerProcessId })
        {
            if (pid is { } p)
            {
                try
                {
                    using Process process = Process.GetProcessById(p);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
    }

    /// <summary>Brings a killed member's nginx back, as an operator would.</summary>
    public async Task RestartAsync(string name)
    {
        await Server(name).StopAsync();
        await Server(name).StartAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (string member in new[] { Primary, Backup })
        {
            try
            {
                await Server(member).StopAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // Never started.
            }
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
