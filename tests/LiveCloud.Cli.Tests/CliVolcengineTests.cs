using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LiveCloud.Testing.Emulators.Volcengine;

namespace LiveCloud.Cli.Tests;

/// <summary>The CLI with a Volcengine section: URLs offline, domains and streams against the loopback emulator, cost naming the prices to set.</summary>
public sealed class CliVolcengineTests : IAsyncLifetime
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"livecloud-cli-volc-{Guid.NewGuid():N}.json");
    private VolcengineLiveEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        // The CLI signs with the system clock, so the emulator judges X-Date by it too.
        _emulator = (await VolcengineLiveEmulator.StartAsync(TimeProvider.System)).AddSampleDomains();
        _emulator.Online.Add(new EmulatedVolcengineOnline(VolcengineLiveEmulator.SampleVhost, VolcengineLiveEmulator.PushDomain, "live", "room_1001", DateTimeOffset.UtcNow.AddMinutes(-3)));
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            LiveCloud = new
            {
                Provider = "Volcengine",
                // DNS questions go to a closed loopback port: every CNAME check ends quickly as Unresolvable.
                Dns = new { NameServers = new[] { $"127.0.0.1:{ClosedPort()}" }, Timeout = "00:00:01", Retries = 0 },
                Volcengine = new
                {
                    AccessKeyId = VolcengineLiveEmulator.AccessKeyId,
                    SecretAccessKey = VolcengineLiveEmulator.SecretAccessKey,
                    Endpoint = _emulator.BaseAddress,
                    PushDomain = VolcengineLiveEmulator.PushDomain,
                    PushKey = "abc",
                    PlayDomain = VolcengineLiveEmulator.PlayDomain,
                    PlayKey = "abc",
                    FlvPathSuffix = ".flv",
                    HlsPathSuffix = ".m3u8",
                },
            },
        }));
    }

    public async Task DisposeAsync()
    {
        File.Delete(_config);
        await _emulator.DisposeAsync();
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Urls_json_signs_type_b_offline()
    {
        (int code, string output, string error) = await Run("urls", "--config", _config, "--app", "my.app-1", "--stream", "a-b_c.1", "--expires", "4102444800", "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("provider").GetString().Should().Be("volcengine");
        // Vector B5 of docs/vendors/volcengine.md: md5("/my.app-1/a-b_c.1" + "abc" + "4102444800").
        doc.RootElement.GetProperty("push")[0].GetProperty("url").GetString().Should().Be("rtmp://push.example.com/my.app-1/a-b_c.1?volcTime=4102444800&volcSecret=483c949487c8210d5f87df99cc18b2da");
        doc.RootElement.GetProperty("play").EnumerateArray().Select(p => p.GetProperty("protocol").GetString()).Should().Equal("rtmp", "flv", "hls");
        doc.RootElement.GetProperty("play")[1].GetProperty("url").GetString().Should().Be("https://play.example.com/my.app-1/a-b_c.1.flv?volcTime=4102444800&volcSecret=483c949487c8210d5f87df99cc18b2da");
        _emulator.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task Domains_and_streams_read_the_api()
    {
        (int code, string output, string error) = await Run("domains", "--config", _config, "--json");
        code.Should().Be(0, error);
        using (JsonDocument doc = JsonDocument.Parse(output))
        {
            doc.RootElement.GetProperty("provider").GetString().Should().Be("volcengine");
            output.Should().Contain("push.example.com.bytefcdn.com").And.Contain("play.example.com.bytefcdn.com");
        }

        (code, output, error) = await Run("streams", "--config", _config, "--json");
        code.Should().Be(0, error);
        using JsonDocument streams = JsonDocument.Parse(output);
        JsonElement only = streams.RootElement.GetProperty("streams").EnumerateArray().Single();
        only.GetProperty("stream").GetString().Should().Be("live/room_1001");
        only.GetProperty("status").GetString().Should().Be("active");
        _emulator.CallCount("DescribeLiveStreamInfoByPage").Should().Be(1);
    }

    [Fact]
    public async Task Cost_names_the_price_options_to_set()
    {
        (int code, _, string error) = await Run("cost", "--config", _config, "--viewers", "100", "--bitrate-kbps", "556", "--hours", "4");
        code.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain("Volcengine").And.Contain("LiveCloud:Volcengine:Prices:");
        error.TrimEnd().Should().NotContain("\n");
    }
}
