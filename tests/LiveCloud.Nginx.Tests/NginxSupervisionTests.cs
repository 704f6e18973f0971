using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LiveCloud.Nginx.Tests;

/// <summary>
/// Supervision of a real nginx: its master and worker killed, a foreign process on its ports, a previous nginx of the
/// same work directory left running. Each test has its own nginx, hook endpoint and work directory.
/// </summary>
[Trait("Category", "RealParts")]
public sealed class NginxSupervisionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public NginxSupervisionTests() => RealParts.Require(NginxServerFixture.Tools);

    [SkippableFact]
    public async Task Killed_master_is_restarted_with_its_exit_code_logged_its_orphans_killed_and_pushing_works_again()
    {
        await using Supervised nginx = await Supervised.StartAsync();
        int master = nginx.Server.ProcessId!.Value;
        int worker = nginx.Server.Health.WorkerProcessId!.Value;
        StreamId stream = new("live", "master_kill");
        await using ToolProcess push = ToolProcess.Push(nginx.Provider.CreatePushUrl(stream, DateTimeOffset.UtcNow.AddHours(1)).Url, seconds: 120);
        await Poll.UntilAsync(async () => (await nginx.Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Active, "the push to be live");

        Kill(master);

        await Poll.UntilAsync(() => nginx.Server.Health is { State: NginxServerState.Healthy, Restarts: 1 }, "nginx to be restarted", 60);
        NginxServerHealth health = nginx.Server.Health;
        health.LastExitCode.Should().Be(137, "SIGKILL is signal 9");
        health.ProcessId.Should().NotBe(master).And.Be(nginx.Server.ProcessId);
        health.LastRestartAt.Should().NotBeNull();
        NginxRestartedEventArgs restarted = nginx.Restarts.Should().ContainSingle().Subject;
        restarted.Should().BeEquivalentTo(new { Kind = NginxRestartKind.Master, PreviousProcessId = master, ProcessId = health.ProcessId!.Value, ExitCode = (int?)137 });
        nginx.Logs.Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains($"nginx (pid {master}) exited unexpectedly with exit code 137 (signal 9)", StringComparison.Ordinal));
        nginx.Logs.Should().Contain(r => r.Level == LogLevel.Information && r.Message.Contains($"after pid {master} exited with exit code 137", StringComparison.Ordinal));
        NginxProcesses.IsAlive(worker).Should().BeFalse("the dead master's worker kept the ports and the stream; the restart kills it");
        (await push.ExitCodeAsync(Bound)).Should().NotBe(0, "the push died with the old nginx");

        await using ToolProcess again = ToolProcess.Push(nginx.Provider.CreatePushUrl(stream, DateTimeOffset.UtcNow.AddHours(1)).Url, seconds: 3);
        (await again.ExitCodeAsync(Bound)).Should().Be(0, "the restarted nginx takes pushes; ffmpeg said: {0}", again.Errors);
    }

    [SkippableFact]
    public async Task Respawned_worker_is_reported_and_stop_leaves_nothing_running()
    {
        Skip.IfNot(NginxProcesses.Supported, "worker respawns are seen through /proc (Linux)");
        await using Supervised nginx = await Supervised.StartAsync();
        int master = nginx.Server.ProcessId!.Value;
        int worker = nginx.Server.Health.WorkerProcessId!.Value;

        Kill(worker);

        await Poll.UntilAsync(() => !nginx.Restarts.IsEmpty, "the respawn to be reported");
        NginxRestartedEventArgs respawn = nginx.Restarts.Should().ContainSingle().Subject;
        respawn.Kind.Should().Be(NginxRestartKind.Worker);
        respawn.PreviousProcessId.Should().Be(worker);
        respawn.ExitCode.Should().BeNull();
        NginxServerHealth health = nginx.Server.Health;
        health.Should().Match<NginxServerHealth>(h => h.State == NginxServerState.Healthy && h.WorkerRestarts == 1 && h.Restarts == 0 && h.ProcessId == master);
        health.WorkerProcessId.Should().Be(respawn.ProcessId).And.NotBe(worker);
        NginxProcesses.IsAlive(respawn.ProcessId).Should().BeTrue();
        nginx.Logs.Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains($"nginx worker (pid {worker}) died", StringComparison.Ordinal));

        string comm = NginxProcesses.CommandName(NginxRtmpServer.ResolveExecutable("nginx")!);
        await nginx.Server.StopAsync();
        nginx.Server.Health.State.Should().Be(NginxServerState.Stopped);
        NginxProcesses.Find(comm, nginx.Server.ConfigPath, nginx.Server.WorkDirectory).Should().BeEmpty();
        File.Exists(nginx.Server.PidFilePath).Should().BeFalse("nginx removes its pid file when it quits");
    }

    [SkippableFact]
    public async Task Restarts_back_off_doubling_up_to_the_cap_while_a_foreign_process_holds_the_port()
    {
        await using Supervised nginx = await Supervised.StartAsync(o => { o.RestartDelay = TimeSpan.FromSeconds(1); o.MaxRestartDelay = TimeSpan.FromSeconds(4); });
        int port = nginx.Options.RtmpPort;

        // The master, then its orphaned worker: the port is free at once and the test takes it before the first restart.
        int worker = nginx.Server.Health.WorkerProcessId!.Value;
        Kill(nginx.Server.ProcessId!.Value);
        Kill(worker);
        using TcpListener foreign = await ListenAsync(port);

        await Poll.UntilAsync(() => DelaysLogged(nginx).Count >= 4, "four restart attempts");
        NginxServerHealth waiting = nginx.Server.Health;
        waiting.State.Should().Be(NginxServerState.Restarting);
        waiting.LastError.Should().Contain($"Port {port} (LiveCloud:Nginx:RtmpPort)").And.Contain($"pid {Environment.ProcessId}");
        DelaysLogged(nginx).Take(4).Should().Equal(1, 2, 4, 4);
        nginx.Logs.Should().Contain(r => r.Level == LogLevel.Warning && r.Message.StartsWith("nginx did not start again: Port", StringComparison.Ordinal));

        foreign.Stop();
        await Poll.UntilAsync(() => nginx.Server.Health is { State: NginxServerState.Healthy, Restarts: 1 }, "nginx to start once the port is free");
        nginx.Server.Health.LastExitCode.Should().Be(137);
    }

    [SkippableFact]
    public async Task A_port_held_by_another_process_fails_the_start_naming_the_port_and_the_process()
    {
        foreach (string key in new[] { "RtmpPort", "HttpPort" })
        {
            int port = TestOptions.FreePort();
            using TcpListener foreign = await ListenAsync(port);
            Func<Task<Supervised>> start = () => Supervised.StartAsync(o =>
            {
                if (key == "RtmpPort")
                {
                    o.RtmpPort = port;
                }
                else
                {
                    o.HttpPort = port;
                }
            });

            (await start.Should().ThrowAsync<LiveCloudException>())
                .Which.Message.Should().Contain($"Port {port} (LiveCloud:Nginx:{key}) is already in use by pid {Environment.ProcessId}");
            Supervised.LastFailed!.Health.State.Should().Be(NginxServerState.Failed);
            Supervised.LastFailed.Health.LastError.Should().Contain($"Port {port}");
            Supervised.LastFailed.IsRunning.Should().BeFalse();
        }
    }

    [SkippableFact]
    public async Task A_previous_nginx_of_the_work_directory_is_stopped_before_start()
    {
        string work = Supervised.NewWorkDirectory();
        await using Supervised first = await Supervised.StartAsync(o => o.WorkDirectory = work);
        NginxOptions options = first.Options;
        await first.Server.StopAsync();

        // What a host killed together with its watchdog leaves: nginx with this work directory's config, still running.
        using Process orphan = Process.Start(new ProcessStartInfo(NginxRtmpServer.ResolveExecutable("nginx")!, ["-p", work + "/", "-c", Path.Combine(work, "nginx.conf")]) { WorkingDirectory = work })!;
        await Poll.UntilAsync(() => File.Exists(Path.Combine(work, "nginx.pid")), "the orphan's pid file");
        string comm = NginxProcesses.CommandName(NginxRtmpServer.ResolveExecutable("nginx")!);
        IReadOnlyList<int> orphans = NginxProcesses.Find(comm, Path.Combine(work, "nginx.conf"), work);
        orphans.Should().Contain(orphan.Id);

        await using Supervised next = await Supervised.StartAsync(o => { o.WorkDirectory = work; o.RtmpPort = options.RtmpPort; o.HttpPort = options.HttpPort; });

        orphan.WaitForExit(TimeSpan.FromSeconds(10)).Should().BeTrue("the previous nginx named in nginx.pid was stopped first");
        orphans.Should().OnlyContain(p => !NginxProcesses.IsAlive(p) || p == next.Server.ProcessId, "its worker is gone too");
        next.Server.ProcessId.Should().NotBe(orphan.Id);
        next.Server.Health.State.Should().Be(NginxServerState.Healthy);
        next.Logs.Should().Contain(r => r.Message.Contains($"A previous nginx (pid {orphan.Id})", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_pid_file_naming_another_program_is_left_alone()
    {
        string work = Supervised.NewWorkDirectory();
        Directory.CreateDirectory(work);
        using Process other = Process.Start(new ProcessStartInfo("sleep", ["60"]))!;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work, "nginx.pid"), other.Id.ToString(CultureInfo.InvariantCulture) + "\n");

            await using Supervised nginx = await Supervised.StartAsync(o => o.WorkDirectory = work);

            other.HasExited.Should().BeFalse("a pid that is not an nginx of this work directory is never signalled");
            nginx.Server.Health.State.Should().Be(NginxServerState.Healthy);
            nginx.Logs.Should().Contain(r => r.Message.Contains($"names pid {other.Id}, which is not an nginx of this work directory", StringComparison.Ordinal));
        }
        finally
        {
            other.Kill();
        }
    }

    private static List<double> DelaysLogged(Supervised nginx) =>
        [.. nginx.Logs.Where(r => r.Id.Id == 4).Select(r => double.Parse(r.GetStructuredStateValue("Seconds")!, CultureInfo.InvariantCulture))];

    private static void Kill(int pid)
    {
        using Process process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL
    }

    // Binds as soon as the port is free (a killed nginx releases it within moments).
    private static async Task<TcpListener> ListenAsync(int port)
    {
        for (int attempt = 0; ; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return listener;
            }
            catch (SocketException) when (attempt < 200)
            {
                listener.Dispose();
                await Task.Delay(10);
            }
        }
    }

    /// <summary>A supervised nginx on free ports with its own hook endpoint, work directory and log collector.</summary>
    private sealed class Supervised : IAsyncDisposable
    {
        private readonly WebApplication _hooks;

        private Supervised(WebApplication hooks, NginxOptions options, FakeLogger<NginxRtmpServer> logger)
        {
            _hooks = hooks;
            Options = options;
            Logger = logger;
            Provider = TestOptions.Provider(options);
            Server = new NginxRtmpServer(options, logger);
            Server.Restarted += (_, e) => Restarts.Enqueue(e);
        }

        /// <summary>The server of the last <see cref="StartAsync"/> that failed (already disposed).</summary>
        public static NginxRtmpServer? LastFailed { get; private set; }

        public NginxOptions Options { get; }

        public NginxStreamProvider Provider { get; }

        public NginxRtmpServer Server { get; }

        public FakeLogger<NginxRtmpServer> Logger { get; }

        public IReadOnlyList<FakeLogRecord> Logs => Logger.Collector.GetSnapshot();

        public ConcurrentQueue<NginxRestartedEventArgs> Restarts { get; } = new();

        public static string NewWorkDirectory() => Path.Combine(Path.GetTempPath(), "livecloud-nginx-supervision-" + Guid.NewGuid().ToString("N")[..8]);

        public static async Task<Supervised> StartAsync(Action<NginxOptions>? configure = null)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            WebApplication hooks = builder.Build();
            Supervised? self = null;
            hooks.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var request = new CallbackRequest
                {
                    Method = "POST",
                    ContentType = context.Request.ContentType,
                    Query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
                    Body = await reader.ReadToEndAsync(context.RequestAborted),
                };
                try
                {
                    await self!.Provider.ParseCallbackAsync(request, context.RequestAborted);
                    return Results.Ok();
                }
                catch (CallbackVerificationException)
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }
            });
            await hooks.StartAsync();
            string hookBase = hooks.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            NginxOptions options = TestOptions.Create(o =>
            {
                o.RtmpPort = TestOptions.FreePort();
                o.HttpPort = TestOptions.FreePort();
                o.WorkDirectory = NewWorkDirectory();
                o.HealthCheckInterval = TimeSpan.FromMilliseconds(500);
                configure?.Invoke(o);
                o.HookBaseUrl = hookBase + "/hook";
            });
            self = new Supervised(hooks, options, new FakeLogger<NginxRtmpServer>());
            try
            {
                await self.Server.StartAsync();
                return self;
            }
            catch
            {
                LastFailed = self.Server;
                await self.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await _hooks.StopAsync();
            await _hooks.DisposeAsync();
            if (Directory.Exists(Options.WorkDirectory))
            {
                Directory.Delete(Options.WorkDirectory, recursive: true);
            }
        }
    }
}
