using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>
/// The app's nginx killed under a live show (worker, master), the app itself SIGKILLed (with and without its watchdog),
/// and a foreign process on its RTMP port: rooms leave "live" and watchers are told, the interrupted session's recording
/// is listed, <c>/health</c> says what happened, and no nginx outlives its host.
/// </summary>
[Trait("Category", "RealParts")]
public sealed class SupervisionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // Only the restart signal reconciles in these tests: the timer is off.
    private static readonly string[] NoTimer = ["--LiveRooms:ReconcileInterval=00:00:00", "--LiveCloud:Nginx:HealthCheckInterval=00:00:00.500"];

    [SkippableFact]
    public async Task Killed_worker_the_live_room_goes_idle_its_watchers_are_told_and_the_recording_is_listed()
    {
        RoomsApp app = await RoomsApp.StartAsync(extraArgs: NoTimer);
        try
        {
            HealthView before = await HealthAsync(app.Client, HttpStatusCode.OK);
            before.Should().Match<HealthView>(h => h.Status == "healthy" && h.Provider == "Nginx" && h.Nginx!.State == "Healthy" && h.Nginx.Restarts == 0 && h.LastReconciledAt != null);
            CreatedRoom room = await app.CreateRoomAsync("Worker dies");
            await using var sse = new SseReader(app.Client, $"/api/rooms/{room.Id}/events");
            await using ToolProcess push = ToolProcess.Push(room.Push.Url, seconds: 120);
            await app.WaitForStateAsync(room.Id, "live");
            string file = await RecordingOnDiskAsync(app.RecordingsDirectory, room.StreamName);

            Kill(before.Nginx!.WorkerProcessId!.Value);

            await app.WaitForStateAsync(room.Id, "idle", seconds: 30);
            await Poll.UntilAsync(() => States(sse).SkipWhile(s => s != "live").Contains("idle"), "the watchers to hear the room is idle");
            RecordingView recording = (await RecordingsAsync(app, room.Id)).Should().ContainSingle("the interrupted session's file is listed").Subject;
            recording.PlaybackUrl.Should().EndWith("/recordings/" + file);
            recording.SizeBytes.Should().BeGreaterThan(0);
            sse.Events.Should().Contain(e => e.Type == "recording" && e.Data.Contains(file, StringComparison.Ordinal));

            HealthView after = await HealthAsync(app.Client, HttpStatusCode.OK);
            after.Nginx!.WorkerRestarts.Should().Be(1);
            after.Nginx.ProcessId.Should().Be(before.Nginx.ProcessId, "only the worker died");
            after.Nginx.WorkerProcessId.Should().NotBe(before.Nginx.WorkerProcessId);
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }

    [SkippableFact]
    public async Task Killed_master_is_restarted_health_says_so_the_room_goes_idle_and_pushing_works_again()
    {
        RoomsApp app = await RoomsApp.StartAsync(extraArgs: [.. NoTimer, "--LiveCloud:Nginx:RestartDelay=00:00:05"]);
        try
        {
            CreatedRoom room = await app.CreateRoomAsync("Master dies");
            await using var sse = new SseReader(app.Client, $"/api/rooms/{room.Id}/events");
            await using ToolProcess push = ToolProcess.Push(room.Push.Url, seconds: 120);
            await app.WaitForStateAsync(room.Id, "live");
            string file = await RecordingOnDiskAsync(app.RecordingsDirectory, room.StreamName);
            int master = (await HealthAsync(app.Client, HttpStatusCode.OK)).Nginx!.ProcessId!.Value;

            Kill(master);

            HealthView restarting = await HealthAsync(app.Client, HttpStatusCode.ServiceUnavailable, "nginx is down for the 5 s restart delay");
            restarting.Should().Match<HealthView>(h => h.Status == "unhealthy" && h.Nginx!.State == "Restarting" && h.Nginx.LastExitCode == 137);
            restarting.Nginx!.LastError.Should().Contain($"nginx (pid {master}) exited with code 137 (signal 9)");
            HealthView restarted = await HealthAsync(app.Client, HttpStatusCode.OK, "nginx to be back");
            restarted.Nginx.Should().Match<NginxHealthView>(n => n.State == "Healthy" && n.Restarts == 1 && n.LastExitCode == 137 && n.LastRestartAt != null && n.ProcessId != master);

            await app.WaitForStateAsync(room.Id, "idle", seconds: 30);
            (await RecordingsAsync(app, room.Id)).Should().ContainSingle().Which.PlaybackUrl.Should().EndWith("/recordings/" + file);

            using HttpResponseMessage pushAgain = await app.PostHostAsync($"/api/rooms/{room.Id}/push", room.HostToken);
            PushView url = (await pushAgain.Content.ReadFromJsonAsync<PushView>(RoomsApp.Json))!;
            await using ToolProcess again = ToolProcess.Push(url.Url, seconds: 3);
            (await again.ExitCodeAsync(Bound)).Should().Be(0, "the restarted nginx takes the host's push; ffmpeg said: {0}", again.Errors);
            States(sse).Should().ContainInOrder(["live", "idle", "live"], "watchers heard the show end with nginx and the host come back");
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }

    [SkippableFact]
    public async Task Sigkilled_app_leaves_no_nginx_running_and_its_next_start_reconciles_the_room()
    {
        RealParts.Require(RoomsApp.Tools);
        await using var child = AppProcess.Start(RoomsApp.NewDataDirectory());
        await child.WaitUntilHealthyAsync();
        CreatedRoom room = await child.CreateRoomAsync();
        await using ToolProcess push = ToolProcess.Push(room.Push.Url, seconds: 120);
        await child.WaitForLiveAsync(room.Id);
        string file = await RecordingOnDiskAsync(child.RecordingsDirectory, room.StreamName);
        HealthView health = await HealthAsync(child.Client, HttpStatusCode.OK);
        int master = health.Nginx!.ProcessId!.Value, worker = health.Nginx.WorkerProcessId!.Value;

        child.Kill(); // SIGKILL: no hosted service stops anything

        await Poll.UntilAsync(() => !Alive(master) && !Alive(worker), "the dead app's nginx to stop (its watchdog)", 30);
        NginxOf(child.WorkDirectory).Should().BeEmpty("no nginx outlives its host");

        RoomsApp next = await RoomsApp.StartAsync(child.DataDirectory, extraArgs: child.PortArgs);
        try
        {
            (await next.StateAsync(room.Id)).Should().Be("idle", "the show ended with the app");
            (await RecordingsAsync(next, room.Id)).Should().ContainSingle().Which.PlaybackUrl.Should().EndWith("/recordings/" + file);
            (await HealthAsync(next.Client, HttpStatusCode.OK)).Nginx!.Restarts.Should().Be(0);
        }
        finally
        {
            await next.DisposeAsync();
            NginxOf(child.WorkDirectory).Should().BeEmpty();
            next.DeleteData();
        }
    }

    [SkippableFact]
    public async Task Nginx_left_running_by_a_sigkilled_app_and_watchdog_is_stopped_by_the_next_start()
    {
        RealParts.Require(RoomsApp.Tools);
        await using var child = AppProcess.Start(RoomsApp.NewDataDirectory(), "--LiveCloud:Nginx:RestartDelay=00:01:00", "--LiveCloud:Nginx:MaxRestartDelay=00:01:00");
        await child.WaitUntilHealthyAsync();
        CreatedRoom room = await child.CreateRoomAsync();
        await using ToolProcess push = ToolProcess.Push(room.Push.Url, seconds: 120);
        await child.WaitForLiveAsync(room.Id);
        string file = await RecordingOnDiskAsync(child.RecordingsDirectory, room.StreamName);
        HealthView health = await HealthAsync(child.Client, HttpStatusCode.OK);
        int master = health.Nginx!.ProcessId!.Value, worker = health.Nginx.WorkerProcessId!.Value;

        // The watchdog (nginx's parent, and its reader of the host's pipe) first, then the app: nginx is orphaned.
        int watchdog = ParentOf(master);
        foreach (int pid in ChildrenOf(watchdog).Where(p => p != master).Append(watchdog))
        {
            Kill(pid);
        }

        child.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Alive(master).Should().BeTrue("the precondition: an nginx of the work directory outlived its host and watchdog");
        NginxOf(child.WorkDirectory).Should().Contain([master, worker]);

        RoomsApp next = await RoomsApp.StartAsync(child.DataDirectory, extraArgs: child.PortArgs);
        try
        {
            Alive(master).Should().BeFalse("the previous nginx named in nginx.pid was stopped before the new one started");
            Alive(worker).Should().BeFalse();
            HealthView now = await HealthAsync(next.Client, HttpStatusCode.OK);
            now.Nginx!.ProcessId.Should().NotBe(master);
            NginxOf(child.WorkDirectory).Should().OnlyContain(p => p == now.Nginx.ProcessId || p == now.Nginx.WorkerProcessId || ParentOf(p) == now.Nginx.ProcessId);
            (await next.StateAsync(room.Id)).Should().Be("idle");
            (await RecordingsAsync(next, room.Id)).Should().ContainSingle().Which.PlaybackUrl.Should().EndWith("/recordings/" + file);

            using HttpResponseMessage pushAgain = await next.PostHostAsync($"/api/rooms/{room.Id}/push", room.HostToken);
            PushView url = (await pushAgain.Content.ReadFromJsonAsync<PushView>(RoomsApp.Json))!;
            url.Url.Should().Contain($":{child.RtmpPort}/", "the new nginx binds the same port the orphan held");
            await using ToolProcess again = ToolProcess.Push(url.Url, seconds: 3);
            (await again.ExitCodeAsync(Bound)).Should().Be(0, again.Errors);
        }
        finally
        {
            await next.DisposeAsync();
            NginxOf(child.WorkDirectory).Should().BeEmpty();
            next.DeleteData();
        }
    }

    [SkippableFact]
    public async Task A_foreign_listener_on_the_rtmp_port_fails_start_up_naming_the_port()
    {
        RealParts.Require(RoomsApp.Tools);
        var foreign = new TcpListener(IPAddress.Loopback, 0);
        foreign.Start();
        string data = RoomsApp.NewDataDirectory();
        try
        {
            int port = ((IPEndPoint)foreign.LocalEndpoint).Port;
            Func<Task> start = () => RoomsApp.StartAsync(data, extraArgs: [$"--LiveCloud:Nginx:RtmpPort={port}"]);
            (await start.Should().ThrowAsync<LiveCloudException>())
                .Which.Message.Should().Contain($"Port {port} (LiveCloud:Nginx:RtmpPort) is already in use by pid {Environment.ProcessId}");
            NginxOf(Path.Combine(data, "nginx")).Should().BeEmpty("nothing was started against the foreign listener");
        }
        finally
        {
            foreign.Stop();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    // A room's recordings once it has any: a recording found by reconciliation is added just after the room goes idle.
    private static async Task<IReadOnlyList<RecordingView>> RecordingsAsync(RoomsApp app, string roomId)
    {
        await Poll.UntilAsync(async () => (await app.RecordingsAsync(roomId)).Count > 0, $"room {roomId} to list a recording");
        return await app.RecordingsAsync(roomId);
    }

    // The "state" values a watcher heard, in order (the first is the state when it connected).
    private static List<string> States(SseReader sse) =>
        [.. sse.Events.Where(e => e.Type == "state").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("state").GetString()!)];

    // The file nginx records the room's show to, once it has data.
    private static async Task<string> RecordingOnDiskAsync(string folder, string stream)
    {
        string? found = null;
        await Poll.UntilAsync(() =>
        {
            found = Directory.Exists(folder) ? Directory.GetFiles(folder, stream + "-*.flv").Select(f => new FileInfo(f)).FirstOrDefault(f => f.Length > 50_000)?.Name : null;
            return found is not null;
        }, "the show's recording to have data", 60);
        return found!;
    }

    // Polls /health until it answers with that status (the body's shape is asserted by the callers).
    private static async Task<HealthView> HealthAsync(HttpClient client, HttpStatusCode status, string what = "/health")
    {
        HealthView? view = null;
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage response = await client.GetAsync("/health");
            view = response.StatusCode == status ? await response.Content.ReadFromJsonAsync<HealthView>(RoomsApp.Json) : null;
            return view is not null;
        }, $"{what} to answer {(int)status}", 60);
        return view!;
    }

    private static void Kill(int pid)
    {
        using Process process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL
    }

    private static bool Alive(int pid) => Stat(pid) is { } stat && stat.State is not ('Z' or 'X');

    private static int ParentOf(int pid) => Stat(pid)!.Value.Parent;

    private static IEnumerable<int> ChildrenOf(int pid) => Pids().Where(p => Stat(p)?.Parent == pid);

    // The live nginx processes running in a work directory (the server starts nginx there; its workers inherit it).
    private static List<int> NginxOf(string workDirectory) =>
        [.. Pids().Where(p => Stat(p) is { Comm: "nginx", State: not ('Z' or 'X') } && CurrentDirectory(p) == workDirectory)];

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0).Where(p => p > 0);

    private static (string Comm, char State, int Parent)? Stat(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int open = stat.IndexOf('(', StringComparison.Ordinal), close = stat.LastIndexOf(')');
            string[] rest = stat[(close + 2)..].Split(' ');
            return (stat[(open + 1)..close], rest[0][0], int.Parse(rest[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? CurrentDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record HealthView(string Status, string Provider, NginxHealthView? Nginx, DateTimeOffset? LastReconciledAt);

    private sealed record NginxHealthView(string State, int? ProcessId, int? WorkerProcessId, int Restarts, int WorkerRestarts, DateTimeOffset? LastRestartAt, int? LastExitCode, string? LastError);

    /// <summary>The live-rooms app as its own process (the build the tests reference), so that it can be SIGKILLed.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private AppProcess(string dataDirectory, string[] extraArgs)
        {
            DataDirectory = dataDirectory;
            int http = RoomsApp.FreePort();
            RtmpPort = RoomsApp.FreePort();
            PortArgs = [$"--LiveCloud:Nginx:RtmpPort={RtmpPort}", $"--LiveCloud:Nginx:HttpPort={RoomsApp.FreePort()}"];
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(30) };
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Paths.Sample };
            string[] args =
            [
                Path.Combine(AppContext.BaseDirectory, "LiveCloud.LiveRooms.dll"),
                $"--urls=http://127.0.0.1:{http}",
                $"--LiveRooms:DataDirectory={dataDirectory}",
                "--LiveCloud:Provider=Nginx",
                $"--LiveCloud:Nginx:SigningKey={RoomsApp.SigningKey}",
                "--Logging:LogLevel:Default=Warning",
                .. PortArgs,
                .. extraArgs,
            ];
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string DataDirectory { get; }

        public string WorkDirectory => Path.Combine(DataDirectory, "nginx");

        public string RecordingsDirectory => Path.Combine(WorkDirectory, "recordings");

        public int RtmpPort { get; }

        public string[] PortArgs { get; }

        public HttpClient Client { get; }

        public static AppProcess Start(string dataDirectory, params string[] extraArgs) => new(dataDirectory, extraArgs);

        public async Task WaitUntilHealthyAsync()
        {
            await Poll.UntilAsync(async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The app exited with code {_process.ExitCode}: {Output}");
                }

                try
                {
                    using HttpResponseMessage response = await Client.GetAsync("/health");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "the app to start", 120);
        }

        public async Task<CreatedRoom> CreateRoomAsync()
        {
            using HttpResponseMessage created = await Client.PostAsJsonAsync("/api/rooms", new { title = "Killed host" });
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            return (await created.Content.ReadFromJsonAsync<CreatedRoom>(RoomsApp.Json))!;
        }

        public Task WaitForLiveAsync(string roomId) => Poll.UntilAsync(
            async () => (await Client.GetFromJsonAsync<RoomView>($"/api/rooms/{roomId}", RoomsApp.Json))!.State == "live",
            $"room {roomId} to be live");

        public void Kill() => _process.Kill(); // SIGKILL, the app alone

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
