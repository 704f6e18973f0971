using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Nginx;

/// <summary>
/// Runs and supervises nginx with the RTMP module, in the foreground, with its own prefix
/// (<see cref="NginxOptions.WorkDirectory"/>): writes <c>nginx.conf</c> from the options, starts
/// <c>nginx -p DIR -c DIR/nginx.conf</c>, waits until the RTMP and HTTP ports answer, restarts nginx when it dies, and
/// stops it (graceful quit, then kill) when stopped or disposed. Never touches <c>/etc/nginx</c> or a system service.
/// </summary>
/// <remarks>
/// <para><b>Supervision.</b> When the master process dies, the server logs its exit code and starts nginx again after
/// <see cref="NginxOptions.RestartDelay"/>, doubling the wait after each short run up to
/// <see cref="NginxOptions.MaxRestartDelay"/>; on Linux it also notices a worker the master respawned. Either raises
/// <see cref="Restarted"/>: streams on the dead process are gone without <c>publish_done</c>, so reconcile with
/// <c>/stat</c>. <see cref="Health"/> says where it stands (<see cref="NginxServerState"/>).</para>
/// <para><b>One nginx per work directory.</b> Before starting, an nginx of this work directory that is still running
/// (the pid in its <c>nginx.pid</c>, when that process is nginx started with this <c>nginx.conf</c>, and any nginx worker
/// still running in the folder) is stopped; a port held by any other process fails the start with a message naming the
/// port and the process.</para>
/// <para><b>Never outliving the host.</b> .NET cannot ask the kernel to signal a child when its parent dies
/// (<c>prctl(PR_SET_PDEATHSIG)</c> applies to the thread that forked, which .NET does not expose), so on Unix nginx runs
/// under a small <c>sh</c> watchdog in its own session (<c>setsid</c>, so a terminal's Ctrl+C reaches only the host).
/// The watchdog's standard input is a pipe only this process holds open; the kernel closes it when this process exits in
/// any way, SIGKILL included, and the watchdog then stops nginx (SIGTERM, SIGKILL after <see cref="NginxOptions.StopTimeout"/>).
/// Should an nginx survive anyway (the watchdog killed too), the next start stops it first (above).</para>
/// </remarks>
public sealed partial class NginxRtmpServer : IAsyncDisposable, IDisposable
{
    /// <summary>The install hint given when nginx or its RTMP module is missing.</summary>
    public const string InstallHint = "apt-get install nginx-light libnginx-mod-rtmp";

    private readonly NginxOptions _options;
    private readonly NginxUrlSigner _signer;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _said = new();
    private readonly object _healthLock = new();
    private NginxServerHealth _health = new(NginxServerState.Stopped, DateTimeOffset.UtcNow, null, null, 0, 0, null, null, null);
    private Run? _run;
    private CancellationTokenSource? _supervision;
    private Task? _supervisor;
    private bool _disposed;
    private readonly string _providerName;
    private readonly string _section;

    /// <summary>Creates the server (it does not start until <see cref="StartAsync"/>).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="logger">Where start, stop, deaths and restarts are logged.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names each bad key.</exception>
    public NginxRtmpServer(NginxOptions options, ILogger<NginxRtmpServer>? logger = null)
        : this(options, NginxOptions.ProviderName, logger)
    {
    }

    // For a provider configured under another name (a section with "Type": "Nginx", e.g. a multi-cloud member): its
    // errors name that provider and that section's keys.
    internal NginxRtmpServer(NginxOptions options, string providerName, ILogger<NginxRtmpServer>? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        _providerName = providerName;
        _section = $"{LiveCloudOptions.SectionName}:{providerName}";
        options.ThrowIfInvalid(providerName, _section);
        _options = options;
        _signer = new NginxUrlSigner(options.SigningKey!);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        WorkDirectory = NginxConfig.Full(options.WorkDirectory);
    }

    /// <summary>
    /// Raised, on the supervision thread, after nginx's master was restarted or a worker respawned: the streams the dead
    /// process served are gone and nginx-rtmp sends no <c>publish_done</c> for them. Reconcile stream state with
    /// <c>/stat</c> (<see cref="IStreamProvider.ListOnlineStreamsAsync"/>); handlers should queue that work and return.
    /// </summary>
    public event EventHandler<NginxRestartedEventArgs>? Restarted;

    /// <summary>The nginx prefix: the folder of <c>nginx.conf</c>, logs, pid file and temp folders.</summary>
    public string WorkDirectory { get; }

    /// <summary>The nginx.conf written at start.</summary>
    public string ConfigPath => Path.Combine(WorkDirectory, "nginx.conf");

    /// <summary>The nginx error log.</summary>
    public string ErrorLogPath => Path.Combine(WorkDirectory, "logs", "error.log");

    /// <summary>The pid file nginx keeps its master's process id in; the next start reads it to stop a previous nginx.</summary>
    public string PidFilePath => Path.Combine(WorkDirectory, "nginx.pid");

    /// <summary>Whether the nginx master process is running.</summary>
    public bool IsRunning => _run is { Exited: false };

    /// <summary>The nginx master's process id while it runs.</summary>
    public int? ProcessId => _run is { Exited: false } run ? run.MasterPid : null;

    /// <summary>Where the server stands: its state, processes, restarts and last error.</summary>
    public NginxServerHealth Health
    {
        get
        {
            lock (_healthLock)
            {
                return _health;
            }
        }
    }

    // What nginx writes to its standard output and error (before its error log opens, e.g. a configuration error).
    private string OutputPath => Path.Combine(WorkDirectory, "logs", "nginx.out");

    /// <summary>
    /// Writes nginx.conf, stops a previous nginx of this work directory, starts nginx and waits (up to
    /// <see cref="NginxOptions.StartTimeout"/>) until its RTMP and HTTP ports accept connections; from then on supervises
    /// it. Does nothing when already started.
    /// </summary>
    /// <exception cref="LiveCloudConfigurationException">nginx or the RTMP module is not installed (the message says what to install).</exception>
    /// <exception cref="LiveCloudException">A port is held by another process (the message names it), or nginx exited or did
    /// not open its ports in time (the message quotes its error output).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_supervisor is not null)
            {
                return;
            }

            SetHealth(_ => new NginxServerHealth(NginxServerState.Starting, DateTimeOffset.UtcNow, null, null, 0, 0, null, null, null));
            Run run;
            try
            {
                run = await LaunchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                SetHealth(h => h with { State = NginxServerState.Stopped, Since = DateTimeOffset.UtcNow });
                throw;
            }
            catch (Exception ex)
            {
                SetHealth(h => h with { State = NginxServerState.Failed, Since = DateTimeOffset.UtcNow, LastError = ex.Message });
                throw;
            }

            SetHealth(h => h with { State = NginxServerState.Healthy, Since = DateTimeOffset.UtcNow, ProcessId = run.MasterPid, WorkerProcessId = run.WorkerPid });
            var supervision = new CancellationTokenSource();
            _supervision = supervision;
            _supervisor = Task.Run(() => SuperviseAsync(run, supervision.Token), CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops supervising and stops nginx: a graceful quit, then a kill after <see cref="NginxOptions.StopTimeout"/>. Does nothing when not running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops nginx (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        _gate.Dispose();
    }

    /// <summary>
    /// Stops nginx synchronously, for containers disposed without <c>await</c>: nginx must never outlive
    /// its host. Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override string ToString() => $"NginxRtmpServer {{ WorkDirectory = {WorkDirectory}, RtmpPort = {_options.RtmpPort}, HttpPort = {_options.HttpPort}, State = {Health.State} }}";

    /// <summary>The wait before restart number <paramref name="attempt"/> (0-based) of a crashing nginx: doubling, capped.</summary>
    internal static TimeSpan BackoffDelay(int attempt, TimeSpan first, TimeSpan max)
    {
        double ticks = first.Ticks * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    private async Task StopCoreAsync()
    {
        bool started = _supervision is not null || _run is not null; // a failed start stays Failed
        if (_supervision is { } supervision)
        {
            await supervision.CancelAsync().ConfigureAwait(false);
            await _supervisor!.ConfigureAwait(false);
            supervision.Dispose();
            _supervision = null;
            _supervisor = null;
        }

        if (_run is { } run)
        {
            _run = null;
            await StopRunAsync(run).ConfigureAwait(false);
        }

        if (started)
        {
            SetHealth(h => h with { State = NginxServerState.Stopped, Since = DateTimeOffset.UtcNow, ProcessId = null, WorkerProcessId = null });
        }
    }

    // Prepares, clears the way, starts nginx and waits for its ports. On failure nothing it started keeps running.
    private async Task<Run> LaunchAsync(CancellationToken cancellationToken)
    {
        string nginx = ResolveExecutable(_options.NginxPath)
            ?? throw new LiveCloudConfigurationException($"nginx was not found ('{_options.NginxPath}', set by {_section}:NginxPath). Install it: {InstallHint}") { Provider = _providerName };
        if (!File.Exists(_options.ModulePath))
        {
            throw new LiveCloudConfigurationException($"The nginx RTMP module was not found at {_options.ModulePath} ({_section}:ModulePath). Install it: {InstallHint}") { Provider = _providerName };
        }

        PrepareDirectories();
        bool asRoot = Environment.IsPrivilegedProcess;
        await WriteConfigAsync(NginxConfig.Render(_options, _signer, WorkDirectory, asRoot), cancellationToken).ConfigureAwait(false);
        string comm = NginxProcesses.CommandName(nginx);
        await StopPreviousAsync(nginx, comm, cancellationToken).ConfigureAwait(false);
        EnsurePortFree(_options.RtmpPort, IPAddress.Any, nameof(NginxOptions.RtmpPort));
        EnsurePortFree(_options.HttpPort, IPAddress.Parse(_options.HttpListenAddress), nameof(NginxOptions.HttpPort));

        lock (_said)
        {
            _said.Clear();
        }

        File.Delete(OutputPath);
        var masterPid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = StartInfo(nginx, out bool watched) };
        process.OutputDataReceived += (_, e) =>
        {
            if (NginxProcesses.TryReadChildLine(e.Data, out int pid))
            {
                masterPid.TrySetResult(pid);
            }
            else
            {
                Capture(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Start();
        if (watched)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        else
        {
            masterPid.TrySetResult(process.Id);
        }

        var run = new Run(process, DateTimeOffset.UtcNow);
        _run = run;
        try
        {
            run.MasterPid = await masterPid.Task.WaitAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
            LogStarting(_logger, run.MasterPid, _options.RtmpPort, _options.HttpPort, WorkDirectory);
            await WaitForPortsAsync(run, cancellationToken).ConfigureAwait(false);
            run.WorkerPid = await FirstWorkerAsync(run, comm, cancellationToken).ConfigureAwait(false);
            return run;
        }
        catch (Exception ex)
        {
            _run = null;
            await StopRunAsync(run).ConfigureAwait(false);
            if (ex is TimeoutException)
            {
                throw new LiveCloudException($"nginx's watchdog did not report nginx's process id within {_options.StartTimeout.TotalSeconds:0.#} s. {Diagnostics()}") { Provider = _providerName, IsTransient = true };
            }

            throw;
        }
    }

    // The master listens before it forks its worker, so the ports can answer first: wait (bounded) for the worker too.
    private async Task<int?> FirstWorkerAsync(Run run, string comm, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + _options.StartTimeout;
        while (NginxProcesses.Supported && !run.Exited && DateTimeOffset.UtcNow < deadline)
        {
            if (NginxProcesses.Workers(run.MasterPid, comm) is [int worker, ..])
            {
                return worker;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    // nginx under the watchdog, its output in OutputPath; its workers run in the work directory, which is how a leftover
    // one is recognised.
    private ProcessStartInfo StartInfo(string nginx, out bool watched) =>
        NginxProcesses.StartInfo([nginx, "-p", WorkDirectory + "/", "-c", ConfigPath], OutputPath, _options.StopTimeout, WorkDirectory, out watched);

    // Watches the master until it dies, then starts nginx again with back-off, for as long as the server is started.
    private async Task SuperviseAsync(Run run, CancellationToken cancellationToken)
    {
        int quickRestarts = 0;
        try
        {
            while (true)
            {
                await WatchAsync(run, cancellationToken).ConfigureAwait(false);
                int code = run.Process.ExitCode;
                if (DateTimeOffset.UtcNow - run.StartedAt >= _options.MaxRestartDelay)
                {
                    quickRestarts = 0;
                }

                _run = null;
                run.Process.Dispose();
                string exit = Describe(code);
                string died = $"nginx (pid {run.MasterPid}) exited with code {exit}";
                SetHealth(h => h with { State = NginxServerState.Restarting, Since = DateTimeOffset.UtcNow, ProcessId = null, WorkerProcessId = null, LastExitCode = code, LastError = died });
                while (true)
                {
                    TimeSpan delay = BackoffDelay(quickRestarts++, _options.RestartDelay, _options.MaxRestartDelay);
                    LogDied(_logger, run.MasterPid, exit, delay.TotalSeconds, quickRestarts);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        Run next = await LaunchAsync(cancellationToken).ConfigureAwait(false);
                        DateTimeOffset at = DateTimeOffset.UtcNow;
                        SetHealth(h => h with { State = NginxServerState.Healthy, Since = at, ProcessId = next.MasterPid, WorkerProcessId = next.WorkerPid, Restarts = h.Restarts + 1, LastRestartAt = at });
                        LogRestarted(_logger, next.MasterPid, run.MasterPid, exit);
                        Raise(new NginxRestartedEventArgs(NginxRestartKind.Master, run.MasterPid, next.MasterPid, code, at));
                        run = next;
                        break;
                    }
                    catch (LiveCloudConfigurationException ex)
                    {
                        SetHealth(h => h with { State = NginxServerState.Failed, Since = DateTimeOffset.UtcNow, LastError = ex.Message });
                        LogGaveUp(_logger, ex.Message);
                        return;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Whatever else failed (a port taken, a folder not writable) may pass: try again.
                        SetHealth(h => h with { LastError = ex.Message });
                        LogRestartFailed(_logger, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the host.
        }
    }

    // Returns when the master exits; meanwhile notices a respawned worker.
    private async Task WatchAsync(Run run, CancellationToken cancellationToken)
    {
        string comm = NginxProcesses.CommandName(ResolveExecutable(_options.NginxPath) ?? _options.NginxPath);
        while (!run.Exited)
        {
            await Task.WhenAny(run.Exit, Task.Delay(_options.HealthCheckInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (run.Exited || NginxProcesses.Workers(run.MasterPid, comm) is not [int worker, ..] workers)
            {
                continue;
            }

            if (run.WorkerPid is int previous && previous != worker && !workers.Contains(previous))
            {
                DateTimeOffset at = DateTimeOffset.UtcNow;
                run.WorkerPid = worker;
                SetHealth(h => h with
                {
                    WorkerProcessId = worker,
                    WorkerRestarts = h.WorkerRestarts + 1,
                    LastRestartAt = at,
                    LastError = $"nginx worker (pid {previous}) died; the master started pid {worker}",
                });
                LogWorkerRespawned(_logger, previous, worker);
                Raise(new NginxRestartedEventArgs(NginxRestartKind.Worker, previous, worker, null, at));
            }
            else if (run.WorkerPid is null)
            {
                run.WorkerPid = worker;
                SetHealth(h => h with { WorkerProcessId = worker });
            }
        }
    }

    private void Raise(NginxRestartedEventArgs args)
    {
        try
        {
            Restarted?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            // A subscriber's failure must not end supervision.
            LogHandlerFailed(_logger, ex);
        }
    }

    private async Task StopRunAsync(Run run)
    {
        using Process process = run.Process;
        if (!run.Exited)
        {
            // nginx -s quit sends SIGQUIT to the master named in the pid file: a graceful shutdown.
            await SignalAsync("quit").ConfigureAwait(false);
            try
            {
                await run.Exit.WaitAsync(_options.StopTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogKilling(_logger, run.MasterPid, _options.StopTimeout.TotalSeconds);
                process.Kill(entireProcessTree: true);
                await run.Exit.ConfigureAwait(false);
            }
        }

        LogStopped(_logger, process.ExitCode);
    }

    // The pid-file takeover: an nginx of this work directory still running (its host died without stopping it) is
    // stopped, and leftover workers of a dead master are killed; a pid that is not ours is left alone.
    private async Task StopPreviousAsync(string nginx, string comm, CancellationToken cancellationToken)
    {
        if (!NginxProcesses.Supported)
        {
            return;
        }

        if (ReadPid(PidFilePath) is int pid && pid != Environment.ProcessId)
        {
            if (NginxProcesses.IsOurs(pid, comm, ConfigPath, WorkDirectory))
            {
                LogTakingOver(_logger, pid, WorkDirectory);
                await SignalAsync("stop", nginx).ConfigureAwait(false); // SIGTERM to the pid in the pid file: a fast shutdown
                await GoneAsync([pid], comm, cancellationToken).ConfigureAwait(false);
            }
            else if (NginxProcesses.IsAlive(pid))
            {
                LogForeignPid(_logger, pid);
            }
        }

        IReadOnlyList<int> leftovers = NginxProcesses.Find(comm, ConfigPath, WorkDirectory);
        foreach (int leftover in leftovers)
        {
            LogKillingLeftover(_logger, leftover, WorkDirectory);
            Kill(leftover);
        }

        await GoneAsync(leftovers, comm, cancellationToken).ConfigureAwait(false);
    }

    // Waits up to StopTimeout for the processes to end, kills what is left and waits as long again; what survives even
    // that (another user's) is left to the port check.
    private async Task GoneAsync(IReadOnlyList<int> pids, string comm, CancellationToken cancellationToken)
    {
        for (int round = 0; round < 2; round++)
        {
            DateTimeOffset deadline = DateTimeOffset.UtcNow + _options.StopTimeout;
            while (pids.Any(p => NginxProcesses.IsOurs(p, comm, ConfigPath, WorkDirectory)))
            {
                if (DateTimeOffset.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            foreach (int pid in pids.Where(p => NginxProcesses.IsOurs(p, comm, ConfigPath, WorkDirectory)))
            {
                Kill(pid);
            }
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 1 ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A listener on the port would leave nginx unable to bind while a connect check passed: refuse to start instead.
    private void EnsurePortFree(int port, IPAddress address, string key)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As nginx binds: a connection of the previous nginx in TIME_WAIT is no obstacle, a listener is.
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new LiveCloudException(
                $"Port {port.ToString(CultureInfo.InvariantCulture)} ({_section}:{key}) is already in use by {NginxProcesses.ListenerOn(port) ?? "another process"}, not by an nginx of {WorkDirectory}: stop that process or set another port.",
                ex)
            { Provider = _providerName };
        }
    }

    private async Task SignalAsync(string signal, string? nginx = null)
    {
        nginx ??= ResolveExecutable(_options.NginxPath);
        if (nginx is null)
        {
            return;
        }

        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-p", WorkDirectory + "/", "-c", ConfigPath, "-s", signal })
        {
            start.ArgumentList.Add(arg);
        }

        using Process? signaller = Process.Start(start);
        if (signaller is null)
        {
            return;
        }

        using var wait = new CancellationTokenSource(_options.StopTimeout);
        try
        {
            await Task.WhenAll(signaller.StandardError.ReadToEndAsync(wait.Token), signaller.StandardOutput.ReadToEndAsync(wait.Token)).ConfigureAwait(false);
            await signaller.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            signaller.Kill();
        }
    }

    private async Task WaitForPortsAsync(Run run, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        string httpHost = _options.HttpListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : _options.HttpListenAddress;
        try
        {
            while (true)
            {
                if (run.Exited)
                {
                    await run.Exit.ConfigureAwait(false);
                    throw new LiveCloudException($"nginx exited with code {Describe(run.Process.ExitCode)} while starting. {Diagnostics()}") { Provider = _providerName };
                }

                if (await AnswersAsync("127.0.0.1", _options.RtmpPort, deadline.Token).ConfigureAwait(false)
                    && await AnswersAsync(httpHost, _options.HttpPort, deadline.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LiveCloudException($"nginx did not open ports {_options.RtmpPort} (RTMP) and {_options.HttpPort} (HTTP) within {_options.StartTimeout.TotalSeconds:0.#} s. {Diagnostics()}") { Provider = _providerName, IsTransient = true };
        }
    }

    private static async Task<bool> AnswersAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void PrepareDirectories()
    {
        Directory.CreateDirectory(WorkDirectory);
        Directory.CreateDirectory(Path.Combine(WorkDirectory, "logs"));
        foreach (string temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(WorkDirectory, "temp", temp));
        }

        Directory.CreateDirectory(_options.ResolvedHlsDirectory);
        Directory.CreateDirectory(_options.ResolvedRecordingsDirectory);
    }

    private async Task WriteConfigAsync(string config, CancellationToken cancellationToken)
    {
        // The config holds the hook token: readable by its owner only.
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(ConfigPath, fileOptions);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        await writer.WriteAsync(config.AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_said)
        {
            if (_said.Length < 8192)
            {
                _said.AppendLine(line);
            }
        }
    }

    // What nginx (or its watchdog) said, or the end of its error log; never the hook token.
    private string Diagnostics()
    {
        string said;
        lock (_said)
        {
            said = _said.ToString();
        }

        try
        {
            if (File.Exists(OutputPath))
            {
                said = string.Join(Environment.NewLine, File.ReadLines(OutputPath).Where(l => l.Length > 0).TakeLast(5)) + Environment.NewLine + said;
            }

            if (said.Trim().Length == 0 && File.Exists(ErrorLogPath))
            {
                said = string.Join(Environment.NewLine, File.ReadLines(ErrorLogPath).Where(l => l.Contains("[emerg]", StringComparison.Ordinal) || l.Contains("[alert]", StringComparison.Ordinal) || l.Contains("[crit]", StringComparison.Ordinal)).TakeLast(5));
            }
        }
        catch (IOException)
        {
            // The logs are optional detail.
        }

        said = said.Trim().Replace(_signer.HookToken, "***", StringComparison.Ordinal);
        return said.Length == 0 ? $"See {ErrorLogPath}." : $"nginx said: {said} (log: {ErrorLogPath})";
    }

    private void SetHealth(Func<NginxServerHealth, NginxServerHealth> change)
    {
        lock (_healthLock)
        {
            _health = change(_health);
        }
    }

    // 137 → "137 (signal 9)": the watchdog reports a master killed by signal N as 128 + N, as shells do.
    private static string Describe(int exitCode) =>
        exitCode is > 128 and < 160 ? $"{exitCode} (signal {exitCode - 128})" : exitCode.ToString(CultureInfo.InvariantCulture);

    internal static string? ResolveExecutable(string nameOrPath)
    {
        if (nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.Contains('\\', StringComparison.Ordinal))
        {
            return File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }

        // Debian puts nginx in /usr/sbin, which a non-root PATH often lacks.
        IEnumerable<string> dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, nameOrPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting nginx (pid {Pid}) on RTMP port {RtmpPort} and HTTP port {HttpPort} in {WorkDirectory}")]
    private static partial void LogStarting(ILogger logger, int pid, int rtmpPort, int httpPort, string workDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "nginx (pid {Pid}) did not quit within {Seconds} s; killing it")]
    private static partial void LogKilling(ILogger logger, int pid, double seconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "nginx stopped with exit code {ExitCode}")]
    private static partial void LogStopped(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "nginx (pid {Pid}) exited unexpectedly with exit code {ExitCode}; starting it again in {Seconds} s (attempt {Attempt})")]
    private static partial void LogDied(ILogger logger, int pid, string exitCode, double seconds, int attempt);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "nginx restarted (pid {Pid}) after pid {PreviousPid} exited with exit code {ExitCode}")]
    private static partial void LogRestarted(ILogger logger, int pid, int previousPid, string exitCode);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "nginx did not start again: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "nginx cannot be started again; the server stops trying: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "nginx worker (pid {PreviousPid}) died; the master started worker {Pid}: its streams ended without publish_done")]
    private static partial void LogWorkerRespawned(ILogger logger, int previousPid, int pid);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "A previous nginx (pid {Pid}) of {WorkDirectory} is still running; stopping it before starting")]
    private static partial void LogTakingOver(ILogger logger, int pid, string workDirectory);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Killing a leftover nginx process (pid {Pid}) of {WorkDirectory}")]
    private static partial void LogKillingLeftover(ILogger logger, int pid, string workDirectory);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "nginx.pid names pid {Pid}, which is not an nginx of this work directory; leaving it alone")]
    private static partial void LogForeignPid(ILogger logger, int pid);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "A handler of NginxRtmpServer.Restarted failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);

    // One started nginx: the process this server started (the watchdog, or nginx itself) and the master's pid.
    private sealed class Run
    {
        public Run(Process process, DateTimeOffset startedAt)
        {
            Process = process;
            StartedAt = startedAt;
            Exit = process.WaitForExitAsync();
        }

        public Process Process { get; }

        public DateTimeOffset StartedAt { get; }

        public Task Exit { get; }

        public bool Exited => Exit.IsCompleted;

        public int MasterPid { get; set; }

        public int? WorkerPid { get; set; }
    }
}
