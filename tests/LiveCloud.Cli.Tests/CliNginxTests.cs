using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LiveCloud.Nginx;
using LiveCloud.Testing;

namespace LiveCloud.Cli.Tests;

/// <summary>The CLI's read commands against a real nginx-rtmp started on free loopback ports.</summary>
[Trait("Category", "RealParts")]
public sealed class CliNginxTests : IAsyncLifetime, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("livecloud-cli-nginx-").FullName;
    private NginxRtmpServer _server = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        RealParts.Require(RealParts.Nginx);
        var options = new NginxOptions
        {
            RtmpPort = FreePort(),
            HttpPort = FreePort(),
            WorkDirectory = _work,
            SigningKey = "cli-nginx-test-signing-key-0123",
            HookBaseUrl = "http://127.0.0.1:9/api/callbacks/nginx",
        };
        _config = Path.Combine(_work, "appsettings.json");
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            LiveCloud = new
            {
                Provider = "Nginx",
                Nginx = new
                {
                    options.RtmpPort,
                    options.HttpPort,
                    options.WorkDirectory,
                    options.SigningKey,
                    options.HookBaseUrl,
                    Domains = new[] { new { Name = "live.example.com" } },
                },
            },
        }));
        _server = new NginxRtmpServer(options);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    public void Dispose() => _server?.Dispose();

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

    [SkippableFact]
    public async Task Streams_reads_nginx_stat()
    {
        (int code, string output, string error) = await Run("streams", "--config", _config, "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("provider").GetString().Should().Be("nginx");
        doc.RootElement.GetProperty("streams").GetArrayLength().Should().Be(0, "nothing is pushing");
        (await Run("streams", "--config", _config)).Out.Should().Contain("no stream is live");
    }

    [SkippableFact]
    public async Task Domains_lists_the_configured_host()
    {
        (int code, string output, string error) = await Run("domains", "--config", _config);
        code.Should().Be(0, error);
        output.Should().Contain("live.example.com").And.Contain("no CNAME expected");
    }

    [SkippableFact]
    public async Task Record_list_reads_the_recordings_folder()
    {
        (int code, string output, string error) = await Run("record", "list", "--config", _config, "--stream", "room1");
        code.Should().Be(0, error);
        output.Should().Contain("no recordings of live/room1");
    }

    [SkippableFact]
    public async Task A_vendor_failure_is_exit_code_1_with_one_line()
    {
        await _server.StopAsync();
        (int code, _, string error) = await Run("streams", "--config", _config);
        code.Should().Be(1);
        error.Should().StartWith("error: ");
        error.TrimEnd().Should().NotContain("\n");
    }
}
