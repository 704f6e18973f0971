using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LiveCloud.Nginx;
using LiveCloud.Testing;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Cli.Tests;

/// <summary>
/// <c>relay start</c> and <c>relay pull</c> against a real nginx-rtmp on free loopback ports, whose hooks a stand-in
/// endpoint allows: the relay runs inside the command, ffprobe plays what it relays, and Ctrl+C (the command's token)
/// stops it.
/// </summary>
[Trait("Category", "RealParts")]
public sealed class CliRelayNginxTests : IAsyncLifetime, IDisposable
{
    private const string Key = "cli-relay-platform-key-55aa";
    private readonly string _work = Directory.CreateTempSubdirectory("livecloud-cli-relay-").FullName;
    private LoopbackServer _hooks = null!;
    private NginxRtmpServer _server = null!;
    private NginxOptions _options = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        RealParts.Require(RealParts.Nginx, RealParts.Ffmpeg, RealParts.Ffprobe);
        // The host app's hook endpoint, allowing every push and play (the CLI is what is tested here, not the signing).
        _hooks = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        _options = new NginxOptions
        {
            RtmpPort = FreePort(),
            HttpPort = FreePort(),
            WorkDirectory = _work,
            SigningKey = "cli-relay-nginx-signing-key-0123",
            HookBaseUrl = new Uri(_hooks.BaseAddress, "hook").ToString(),
        };
        _config = Path.Combine(_work, "appsettings.json");
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            LiveCloud = new
            {
                Provider = "Nginx",
                Nginx = new
                {
                    _options.RtmpPort,
                    _options.HttpPort,
                    _options.WorkDirectory,
                    _options.SigningKey,
                    _options.HookBaseUrl,
                    AllowPrivateRelayTargets = true,
                    RelayStallTimeout = "00:01:00",
                },
            },
        }));
        _server = new NginxRtmpServer(_options);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_hooks is not null)
        {
            await _hooks.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    public void Dispose() => _server?.Dispose();

    [SkippableFact]
    public async Task Relay_start_runs_the_relay_while_the_command_runs_and_ctrl_c_stops_it()
    {
        string rtmp = $"rtmp://127.0.0.1:{_options.RtmpPort}/live/";
        await using ToolProcess host = ToolProcess.Push(rtmp + "show", seconds: 300);
        await Poll.UntilAsync(async () => (await Run("streams", "--config", _config)).Out.Contains("live/show", StringComparison.Ordinal), "the show to be live", 60);

        using var ctrlC = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new StringWriter();
        Task<int> relay = CliApp.RunAsync(["relay", "start", "--config", _config, "--stream", "live/show", "--to", $"{rtmp}copy?key={Key}"], output, error, ctrlC.Token);
        string said = string.Empty;
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    await using ToolProcess probe = ToolProcess.Probe(rtmp + "copy", "-show_entries", "stream=codec_name", "-of", "csv=p=0");
                    said = probe.Errors;
                    return await probe.ExitCodeAsync(TimeSpan.FromSeconds(60)) == 0 && probe.Output.Contains("h264", StringComparison.Ordinal);
                },
                "ffprobe to play the relayed copy",
                90);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; ffprobe said {said}; the CLI said {output} {error}", ex);
        }

        await Poll.UntilAsync(() => output.ToString().Contains(": Running", StringComparison.Ordinal), "the command to print the relay running", 60);
        relay.IsCompleted.Should().BeFalse("a self-hosted relay runs inside the command");
        (await Run("relay", "list", "--config", _config)).Out.Should().Contain("no relays in this process", "another command does not see it");

        await ctrlC.CancelAsync();
        (await relay.WaitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, error.ToString());
        string text = output.ToString();
        text.Should().Contain("push live/show → rtmp://127.0.0.1:").And.Contain("/live/***, starting").And.Contain("Running").And.Contain("stopped relay relay-");
        (text + error).Should().NotContain(Key);
        await Poll.UntilAsync(async () => !(await Run("streams", "--config", _config)).Out.Contains("live/copy", StringComparison.Ordinal), "the copy to end with the relay");
    }

    [SkippableFact]
    public async Task Relay_pull_brings_a_stream_in_and_ends_with_its_end_time()
    {
        string rtmp = $"rtmp://127.0.0.1:{_options.RtmpPort}/live/";
        await using ToolProcess camera = ToolProcess.Push(rtmp + "camera", seconds: 300);
        await Poll.UntilAsync(async () => (await Run("streams", "--config", _config)).Out.Contains("live/camera", StringComparison.Ordinal), "the camera to be live", 60);

        string until = DateTimeOffset.UtcNow.AddSeconds(25).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        (int code, string output, string error) = await Run("relay", "pull", "--config", _config, "--from", $"{rtmp}camera?token={Key}", "--stream", "live/pulled", "--until", until, "--json")
            .WaitAsync(TimeSpan.FromSeconds(120));
        code.Should().Be(0, error);
        (output + error).Should().NotContain(Key);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] statuses = [.. lines.Select(l => { using JsonDocument doc = JsonDocument.Parse(l); return doc.RootElement.GetProperty("relay").GetProperty("status").GetString()!; })];
        statuses.Should().StartWith("starting").And.Contain("running").And.EndWith("ended");
        lines[^1].Should().Contain("end time");
    }

    [SkippableFact]
    public async Task A_relay_does_not_outlive_its_command_even_when_the_command_is_killed()
    {
        string rtmp = $"rtmp://127.0.0.1:{_options.RtmpPort}/live/";
        await using ToolProcess host = ToolProcess.Push(rtmp + "killed", seconds: 300);
        await Poll.UntilAsync(async () => (await Run("streams", "--config", _config)).Out.Contains("live/killed", StringComparison.Ordinal), "the show to be live", 60);

        // The CLI as its own process, as an operator runs it; then SIGKILL, which no handler sees.
        const string marker = "sigkill-relay-key-7f3e";
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "LiveCloud.Cli.dll"), "relay", "start", "--config", _config, "--stream", "live/killed", "--to", $"{rtmp}killedcopy?key={marker}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var cli = System.Diagnostics.Process.Start(start)!;
        var said = new System.Text.StringBuilder();
        cli.OutputDataReceived += (_, e) => { lock (said) { said.AppendLine(e.Data); } };
        cli.ErrorDataReceived += (_, e) => { lock (said) { said.AppendLine(e.Data); } };
        cli.BeginOutputReadLine();
        cli.BeginErrorReadLine();
        try
        {
            await Poll.UntilAsync(() => { lock (said) { return said.ToString().Contains(": Running", StringComparison.Ordinal); } }, "the CLI's relay to run", 120);
            ProcessesNaming(marker).Should().Contain(c => c.Contains("ffmpeg -hide_banner", StringComparison.Ordinal), "the relay's ffmpeg runs while the command does");
        }
        finally
        {
            cli.Kill(); // SIGKILL to the CLI alone, not its process tree
            await cli.WaitForExitAsync();
        }

        await Poll.UntilAsync(() => ProcessesNaming(marker).Length == 0, "the relay's ffmpeg to end with the killed command (its watchdog)", 60);
        await Poll.UntilAsync(async () => !(await Run("streams", "--config", _config)).Out.Contains("live/killedcopy", StringComparison.Ordinal), "the copy to end");
    }

    // Processes whose command line holds the text.
    private static string[] ProcessesNaming(string text) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return string.Empty;
                }
            })
            .Where(c => c.Contains(text, StringComparison.Ordinal))];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
