using System.Net;
using System.Net.Sockets;

namespace LiveCloud.Nginx.Tests;

/// <summary>The parts of supervision that need no nginx: back-off, its options, the state before start, reading /proc.</summary>
public sealed class NginxSupervisionUnitTests
{
    [Fact]
    public void Restart_delay_doubles_and_is_capped()
    {
        TimeSpan first = TimeSpan.FromSeconds(1), max = TimeSpan.FromSeconds(30);
        Enumerable.Range(0, 7).Select(n => NginxRtmpServer.BackoffDelay(n, first, max).TotalSeconds).Should().Equal(1, 2, 4, 8, 16, 30, 30);
        NginxRtmpServer.BackoffDelay(int.MaxValue, first, max).Should().Be(max);
        NginxRtmpServer.BackoffDelay(0, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)).Should().Be(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Supervision_options_are_validated_naming_the_key()
    {
        NginxOptions options = TestOptions.Create(o =>
        {
            o.RestartDelay = TimeSpan.FromSeconds(10);
            o.MaxRestartDelay = TimeSpan.FromSeconds(5);
            o.HealthCheckInterval = TimeSpan.Zero;
        });
        var failures = new List<string>();
        options.Validate("LiveCloud:Nginx", failures);
        failures.Should().Contain("LiveCloud:Nginx:MaxRestartDelay must be at least LiveCloud:Nginx:RestartDelay (00:00:10); got 00:00:05.");
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Nginx:HealthCheckInterval must be positive", StringComparison.Ordinal));

        options = TestOptions.Create(o => o.RestartDelay = TimeSpan.Zero);
        failures.Clear();
        options.Validate("LiveCloud:Nginx", failures);
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Nginx:RestartDelay must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_not_started_is_stopped_and_a_failed_start_says_why()
    {
        await using var server = new NginxRtmpServer(TestOptions.Create(o => o.NginxPath = "/nonexistent/nginx"));
        server.Health.Should().Match<NginxServerHealth>(h => h.State == NginxServerState.Stopped && h.ProcessId == null && h.Restarts == 0 && h.LastError == null);
        server.ToString().Should().Contain("State = Stopped");

        Func<Task> start = () => server.StartAsync();
        await start.Should().ThrowAsync<LiveCloudConfigurationException>();
        server.Health.State.Should().Be(NginxServerState.Failed);
        server.Health.LastError.Should().Contain("LiveCloud:Nginx:NginxPath");
        server.Health.IsHealthy.Should().BeFalse();
    }

    [SkippableFact]
    public void Proc_names_the_listener_of_a_port_and_never_takes_another_program_for_nginx()
    {
        Skip.IfNot(NginxProcesses.Supported, "/proc is Linux's");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            NginxProcesses.ListenerOn(port).Should().StartWith($"pid {Environment.ProcessId} (");
        }
        finally
        {
            listener.Stop();
        }

        NginxProcesses.ListenerOn(TestOptions.FreePort()).Should().BeNull();
        // This test process runs in its own folder, yet is no nginx.
        NginxProcesses.IsOurs(Environment.ProcessId, "nginx", "/nowhere/nginx.conf", Environment.CurrentDirectory).Should().BeFalse();
        NginxProcesses.IsAlive(Environment.ProcessId).Should().BeTrue();
        NginxProcesses.CommandName("/usr/sbin/nginx").Should().Be("nginx");
        NginxProcesses.CommandName("/opt/a-very-long-nginx-build-name").Should().Be("a-very-long-ngi");
    }
}
