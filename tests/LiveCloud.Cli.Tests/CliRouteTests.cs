using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LiveCloud.Nginx;
using LiveCloud.Testing;

namespace LiveCloud.Cli.Tests;

/// <summary>
/// <c>route</c>: the decision of a multi-cloud provider over two real nginx-rtmp servers, one of them holding the stream,
/// after the CLI checked each member; and bad input, one line and exit 2.
/// </summary>
[Trait("Category", "RealParts")]
public sealed class CliRouteTests : IAsyncLifetime
{
    private static readonly string[] Backups = ["NginxB"];
    private readonly string _work = Directory.CreateTempSubdirectory("livecloud-cli-route-").FullName;
    private readonly List<NginxRtmpServer> _servers = [];
    private string _config = null!;

    public async Task InitializeAsync()
    {
        RealParts.Require(RealParts.Nginx, RealParts.Ffmpeg);
        NginxOptions Options(string name, decimal egress) => new()
        {
            RtmpPort = FreePort(),
            HttpPort = FreePort(),
            WorkDirectory = Path.Combine(_work, name),
            SigningKey = "cli-route-signing-key-" + name + "-0123",
            HookBaseUrl = "http://127.0.0.1:9/api/callbacks/" + name,
            Pricing = { EgressPricePerGb = egress },
        };
        NginxOptions a = Options("NginxA", 0.5m);
        NginxOptions b = Options("NginxB", 0.3m);
        object Section(NginxOptions o) => new { Type = "Nginx", o.RtmpPort, o.HttpPort, o.WorkDirectory, o.SigningKey, o.HookBaseUrl, Pricing = new { EgressPricePerGb = o.Pricing.EgressPricePerGb } };
        _config = Path.Combine(_work, "appsettings.json");
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            LiveCloud = new Dictionary<string, object>
            {
                ["Provider"] = "Show",
                ["NginxA"] = Section(a),
                ["NginxB"] = Section(b),
                ["Show"] = new { Type = "MultiCloud", Primary = "NginxA", Backups = Backups, Routing = "Cost", Health = new { ProbeTimeout = "00:00:02" } },
            },
        }));
        foreach (NginxOptions o in new[] { a, b })
        {
            var server = new NginxRtmpServer(o);
            _servers.Add(server);
            await server.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (NginxRtmpServer server in _servers)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

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
    public async Task Route_prints_where_viewers_and_hosts_go_with_prices_and_a_down_member_named()
    {
        // Nothing is live (nginx would ask a hook endpoint to allow a push; this test runs none): viewers go where a host would.
        (int code, string output, string error) = await Run("route", "--config", _config, "--stream", "live/room1", "--region", "mainland", "--json");
        code.Should().Be(0, error);
        using (JsonDocument doc = JsonDocument.Parse(output))
        {
            JsonElement root = doc.RootElement;
            root.GetProperty("provider").GetString().Should().Be("show");
            root.GetProperty("routing").GetString().Should().Be("cost");
            root.GetProperty("push").GetProperty("provider").GetString().Should().Be("NginxA");
            root.GetProperty("push").GetProperty("reason").GetString().Should().Be("the primary is up");
            root.GetProperty("play").GetProperty("provider").GetString().Should().Be("NginxA");
            root.GetProperty("play").GetProperty("reason").GetString().Should().Contain("not live on any member");
            root.GetProperty("candidates").EnumerateArray().Select(c => (c.GetProperty("provider").GetString(), c.GetProperty("up").GetBoolean(), c.GetProperty("pricePerGB").GetDecimal()))
                .Should().Equal(("NginxA", true, 0.5m), ("NginxB", true, 0.3m));
        }

        await _servers[0].StopAsync();
        (code, output, error) = await Run("route", "--config", _config, "--stream", "live/room1");
        code.Should().Be(0, error);
        output.Should().Contain("push → NginxB: the primary NginxA is down (").And.Contain("NginxB is the first healthy backup")
            .And.Contain("NginxA       down (").And.Contain("ConnectionRefused")
            .And.Contain("0.3 CNY/GB");
    }

    [SkippableTheory]
    [InlineData("--stream", "room1", "Stream id 'room1' must have the form 'app/name'.")]
    [InlineData("--region", "main land", "--region 'main land' may hold only letters")]
    [InlineData("--provider", "NginxA", "--provider 'NginxA' is not a multi-cloud provider")]
    public async Task Bad_input_is_one_line_and_exit_2(string option, string value, string message)
    {
        var args = new List<string> { "route", "--config", _config, "--stream", "live/room1" };
        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        (int code, _, string error) = await Run([.. args]);
        code.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain(message);
        error.TrimEnd().Should().NotContain("\n");
    }
}
