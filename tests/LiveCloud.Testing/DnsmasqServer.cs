using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveCloud.Testing;

/// <summary>
/// A real dnsmasq on 127.0.0.1 at a free port (UDP and TCP), answering only from the configuration lines
/// given (<c>--no-resolv --no-hosts</c>). For CNAME checks against a real DNS server. When dnsmasq is not
/// installed, starting it skips the test (fails under CI): see <see cref="RealParts"/>.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _directory;

    private DnsmasqServer()
    {
    }

    /// <summary>Where dnsmasq listens.</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The name server as <c>ip:port</c>, for <c>CnameVerifierOptions.NameServers</c>.</summary>
    public string NameServer => EndPoint.ToString();

    /// <summary>Starts dnsmasq with <paramref name="configLines"/> (dnsmasq.conf syntax: <c>cname=a,b</c>, <c>host-record=b,127.0.0.2</c>, <c>local=/test/</c>).</summary>
    public static async Task<DnsmasqServer> StartAsync(IEnumerable<string> configLines)
    {
        var server = new DnsmasqServer();
        try
        {
            await server.StartCoreAsync(configLines);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(IEnumerable<string> configLines)
    {
        RealParts.Require(RealParts.Dnsmasq);
        string exe = ToolProcess.Find("dnsmasq")!;

        _directory = Directory.CreateTempSubdirectory("livecloud-dnsmasq-").FullName;
        string conf = Path.Combine(_directory, "dnsmasq.conf");
        await File.WriteAllLinesAsync(conf, configLines);

        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort();
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
            {
                "--no-daemon", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.1", $"--port={port}",
                "--bind-interfaces", $"--conf-file={conf}", "--log-facility=-",
            })
            {
                psi.ArgumentList.Add(arg);
            }

            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (_output)
                {
                    _output.AppendLine(e.Data);
                }

                if (e.Data.Contains("started, version", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            };
            process.OutputDataReceived += onLine;
            process.ErrorDataReceived += onLine;
            process.Exited += (_, _) => started.TrySetResult();
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            Task finished = await Task.WhenAny(started.Task, Task.Delay(TimeSpan.FromSeconds(20)));
            if (finished == started.Task && !process.HasExited)
            {
                _process = process;
                EndPoint = new IPEndPoint(IPAddress.Loopback, port);
                return;
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            lock (_output)
            {
                failures.Add($"port {port}: {_output}");
                _output.Clear();
            }
        }

        throw new InvalidOperationException("dnsmasq did not start after 5 attempts:\n" + string.Join("\n", failures));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // A port free for both UDP and TCP right now; dnsmasq may still lose a race for it, hence the retries above.
    private static int FreePort()
    {
        for (int i = 0; i < 50; i++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // TCP side taken; try another.
            }
        }

        throw new InvalidOperationException("No free UDP+TCP port on 127.0.0.1.");
    }
}
