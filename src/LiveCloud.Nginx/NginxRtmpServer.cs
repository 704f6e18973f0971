using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Nginx;

/// <summary>
/// Runs nginx with the RTMP module as a child process in the foreground, with its own prefix
/// (<see cref="NginxOptions.WorkDirectory"/>): writes <c>nginx.conf</c> from the options, starts
/// <c>nginx -p DIR -c DIR/nginx.conf</c>, waits until the RTMP and HTTP ports answer, and stops it
/// (graceful quit, then kill) when stopped or disposed. Never touches <c>/etc/nginx</c> or a system service.
/// </summary>
public sealed partial class NginxRtmpServer : IAsyncDisposable, IDisposable
{
    /// <summary>The install hint given when nginx or its RTMP module is missing.</summary>
    public const string InstallHint = "apt-get install nginx-light libnginx-mod-rtmp";

    private readonly NginxOptions _options;
    private readonly NginxUrlSigner _signer;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private bool _disposed;

    /// <summary>Creates the server (it does not start until <see cref="StartAsync"/>).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="logger">Where start and stop are logged.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names each bad key.</exception>
    public NginxRtmpServer(NginxOptions options, ILogger<NginxRtmpServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(NginxOptions.ProviderName, $"{LiveCloudOptions.SectionName}:{NginxOptions.ProviderName}");
        _options = options;
        _signer = new NginxUrlSigner(options.SigningKey!);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        WorkDirectory = NginxConfig.Full(options.WorkDirectory);
    }

    /// <summary>The nginx prefix: the folder of <c>nginx.conf</c>, logs, pid file and temp folders.</summary>
    public string WorkDirectory { get; }

    /// <summary>The nginx.conf written at start.</summary>
    public string ConfigPath => Path.Combine(WorkDirectory, "nginx.conf");

    /// <summary>The nginx error log.</summary>
    public string ErrorLogPath => Path.Combine(WorkDirectory, "logs", "error.log");

    /// <summary>Whether the nginx master process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The nginx master's process id while it runs.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>
    /// Writes nginx.conf, starts nginx and waits (up to <see cref="NginxOptions.StartTimeout"/>) until its
    /// RTMP and HTTP ports accept connections. Does nothing when already running.
    /// </summary>
    /// <exception cref="LiveCloudConfigurationException">nginx or the RTMP module is not installed (the message says what to install).</exception>
    /// <exception cref="LiveCloudException">nginx exited or did not open its ports in time; the message quotes its error output.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRunning)
            {
                return;
            }

            string nginx = ResolveExecutable(_options.NginxPath)
                ?? throw new LiveCloudConfigurationException($"nginx was not found ('{_options.NginxPath}', set by LiveCloud:Nginx:NginxPath). Install it: {InstallHint}") { Provider = NginxOptions.ProviderName };
            if (!File.Exists(_options.ModulePath))
            {
                throw new LiveCloudConfigurationException($"The nginx RTMP module was not found at {_options.ModulePath} (LiveCloud:Nginx:ModulePath). Install it: {InstallHint}") { Provider = NginxOptions.ProviderName };
            }

            PrepareDirectories();
            bool asRoot = Environment.IsPrivilegedProcess;
            await WriteConfigAsync(NginxConfig.Render(_options, _signer, WorkDirectory, asRoot), cancellationToken).ConfigureAwait(false);

            var start = new ProcessStartInfo(nginx)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                WorkingDirectory = WorkDirectory,
            };
            start.ArgumentList.Add("-p");
            start.ArgumentList.Add(WorkDirectory + "/");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(ConfigPath);

            lock (_stderr)
            {
                _stderr.Clear();
            }

            var process = new Process { StartInfo = start };
            process.ErrorDataReceived += (_, e) => Capture(e.Data);
            process.OutputDataReceived += (_, e) => Capture(e.Data);
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            _process = process;
            LogStarting(_logger, process.Id, _options.RtmpPort, _options.HttpPort, WorkDirectory);

            try
            {
                await WaitForPortsAsync(process, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await StopCoreAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops nginx: a graceful quit, then a kill after <see cref="NginxOptions.StopTimeout"/>. Does nothing when not running.</summary>
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
    public override string ToString() => $"NginxRtmpServer {{ WorkDirectory = {WorkDirectory}, RtmpPort = {_options.RtmpPort}, HttpPort = {_options.HttpPort}, Running = {IsRunning} }}";

    private async Task StopCoreAsync()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                // nginx -s quit sends SIGQUIT to the master named in the pid file: a graceful shutdown.
                await SignalAsync("quit").ConfigureAwait(false);
                using var wait = new CancellationTokenSource(_options.StopTimeout);
                try
                {
                    await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogKilling(_logger, process.Id, _options.StopTimeout.TotalSeconds);
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            LogStopped(_logger, process.ExitCode);
        }
    }

    private async Task SignalAsync(string signal)
    {
        string? nginx = ResolveExecutable(_options.NginxPath);
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

    private async Task WaitForPortsAsync(Process process, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        string httpHost = _options.HttpListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : _options.HttpListenAddress;
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new LiveCloudException($"nginx exited with code {process.ExitCode} while starting. {Diagnostics()}") { Provider = NginxOptions.ProviderName };
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
            throw new LiveCloudException($"nginx did not open ports {_options.RtmpPort} (RTMP) and {_options.HttpPort} (HTTP) within {_options.StartTimeout.TotalSeconds:0.#} s. {Diagnostics()}") { Provider = NginxOptions.ProviderName, IsTransient = true };
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

        lock (_stderr)
        {
            if (_stderr.Length < 8192)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    // What nginx said on stderr, or the end of its error log.
    private string Diagnostics()
    {
        string said;
        lock (_stderr)
        {
            said = _stderr.ToString().Trim();
        }

        if (said.Length == 0 && File.Exists(ErrorLogPath))
        {
            try
            {
                string[] lines = File.ReadAllLines(ErrorLogPath);
                said = string.Join(Environment.NewLine, lines.Where(l => l.Contains("[emerg]", StringComparison.Ordinal) || l.Contains("[alert]", StringComparison.Ordinal) || l.Contains("[crit]", StringComparison.Ordinal)).TakeLast(5));
            }
            catch (IOException)
            {
                // The log is optional detail.
            }
        }

        return said.Length == 0 ? $"See {ErrorLogPath}." : $"nginx said: {said} (log: {ErrorLogPath})";
    }

    internal static string? ResolveExecutable(string nameOrPath)
    {
        if (nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.Contains('\\', StringComparison.Ordinal))
        {
            return File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }

        // Debian puts nginx in /usr/sbin, which a non-root PATH often lacks.
        IEnumerable<string> dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"]);
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
}
