using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveCloud.Dns.Tests;

/// <summary>
/// A real dnsmasq on 127.0.0.1 at a free port (UDP and TCP), answering only from the records below
/// (<c>--no-resolv --no-hosts</c>, and <c>local=/test/</c> so unknown <c>*.test</c> names get NXDOMAIN
/// rather than REFUSED for want of an upstream). Fails, never skips, when dnsmasq is not installed.
/// </summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    /// <summary>Batch names <c>b000.test</c> … <c>b199.test</c>; all CNAME to target.test except these.</summary>
    public const int BatchSize = 200;

    /// <summary>Batch entries that point elsewhere (Mismatch).</summary>
    public static readonly int[] BatchMismatches = [13, 77];

    /// <summary>Batch entries that are not configured at all (NXDOMAIN).</summary>
    public static readonly int[] BatchMissingNames = [42, 199];

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _directory;

    /// <summary>Where dnsmasq listens.</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The name server as <c>ip:port</c>, for <see cref="CnameVerifierOptions.NameServers"/>.</summary>
    public string NameServer => EndPoint.ToString();

    public static string BatchName(int i) => $"b{i:000}.test";

    public async Task InitializeAsync()
    {
        string exe = FindDnsmasq() ?? throw new InvalidOperationException(
            "dnsmasq is not installed (not on PATH, /usr/sbin or /usr/local/sbin). The CNAME verifier tests need a real DNS server: run `apt-get install -y dnsmasq`.");

        _directory = Directory.CreateTempSubdirectory("livecloud-dnsmasq-").FullName;
        string conf = Path.Combine(_directory, "dnsmasq.conf");
        await File.WriteAllLinesAsync(conf, ConfigLines());

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

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static IEnumerable<string> ConfigLines()
    {
        yield return "local=/test/";
        yield return "host-record=target.test,127.0.0.2";
        yield return "cname=direct.test,target.test";
        yield return "cname=alias.test,mid.test";
        yield return "cname=mid.test,target.test";
        yield return "host-record=elsewhere.test,127.0.0.3";
        yield return "cname=wrong.test,elsewhere.test";
        yield return "host-record=plain.test,127.0.0.4";
        for (int i = 0; i < BatchSize; i++)
        {
            if (BatchMissingNames.Contains(i))
            {
                continue;
            }

            yield return $"cname={BatchName(i)},{(BatchMismatches.Contains(i) ? "elsewhere.test" : "target.test")}";
        }
    }

    private static string? FindDnsmasq()
    {
        IEnumerable<string> dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]);
        return dirs.Select(d => Path.Combine(d, "dnsmasq")).FirstOrDefault(File.Exists);
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

[CollectionDefinition(Name)]
public sealed class DnsmasqTests : ICollectionFixture<DnsmasqFixture>
{
    public const string Name = "dnsmasq";
}
