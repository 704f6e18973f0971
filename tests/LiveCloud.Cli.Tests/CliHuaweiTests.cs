using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LiveCloud.Testing.Emulators.Huawei;

namespace LiveCloud.Cli.Tests;

/// <summary>The CLI with the Huawei provider: signed URLs offline, domains and streams against the loopback emulator, cost.</summary>
public sealed class CliHuaweiTests : IAsyncLifetime
{
    private const string PushKey = "AbCdEf0123456789AbCdEf0123456789";
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"livecloud-cli-huawei-{Guid.NewGuid():N}.json");
    private HuaweiLiveEmulator _emu = null!;

    public async Task InitializeAsync()
    {
        _emu = (await HuaweiLiveEmulator.StartAsync(TimeProvider.System)).AddSampleDomains();
        // DNS answers come from a port nobody listens on: each domain's check is Unresolvable, at once.
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            LiveCloud = new
            {
                Provider = "Huawei",
                Dns = new { NameServers = new[] { $"127.0.0.1:{ClosedPort()}" }, Timeout = "00:00:01", Retries = 0 },
                Huawei = new
                {
                    AccessKeyId = HuaweiLiveEmulator.AccessKeyId,
                    SecretAccessKey = HuaweiLiveEmulator.SecretAccessKey,
                    ProjectId = HuaweiLiveEmulator.ProjectId,
                    Endpoint = _emu.BaseAddress.ToString(),
                    PushDomain = HuaweiLiveEmulator.PushDomain,
                    PushKey,
                    PushAuthTimeout = "01:00:00",
                    PlayDomain = HuaweiLiveEmulator.PlayDomain,
                    PlayKey = "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp",
                    PlayAuthTimeout = "01:00:00",
                },
                Tencent = new { SecretId = "AKIDEXAMPLEID", SecretKey = "EXAMPLEKEY", PushDomain = "push.example.com", PushKey = "abc", PlayDomain = "play.example.com", PlayKey = "abc" },
            },
        }));
    }

    public async Task DisposeAsync()
    {
        File.Delete(_config);
        await _emu.DisposeAsync();
    }

    private static int ClosedPort()
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

    [Fact]
    public async Task Urls_json_signs_type_d_push_and_play_urls()
    {
        long expires = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        (int code, string output, string error) = await Run("urls", "--config", _config, "--stream", "room_1001", "--expires", expires.ToString(CultureInfo.InvariantCulture), "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("provider").GetString().Should().Be("huawei");
        // Type D, recomputed here: the hwTime is the issue time, one domain timeout (1 h) before the expiry.
        string hwTime = (expires - 3600).ToString("x", CultureInfo.InvariantCulture);
        doc.RootElement.GetProperty("push")[0].GetProperty("url").GetString()
            .Should().Be($"rtmp://push.example.com/live/room_1001?hwSecret={HuaweiSignatures.HwSecret(PushKey, "room_1001", hwTime)}&hwTime={hwTime}");
        doc.RootElement.GetProperty("play").EnumerateArray().Select(p => p.GetProperty("protocol").GetString()).Should().Equal("rtmp", "flv", "webrtc");
    }

    [Fact]
    public async Task Urls_beyond_the_domain_timeout_are_one_line_naming_the_option()
    {
        long expires = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds();
        (int code, _, string error) = await Run("urls", "--config", _config, "--stream", "room_1001", "--expires", expires.ToString(CultureInfo.InvariantCulture));
        code.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain("LiveCloud:Huawei:PushAuthTimeout");
        error.TrimEnd().Should().NotContain("\n");
    }

    [Fact]
    public async Task Domains_and_streams_come_from_the_signed_api()
    {
        (int code, string output, string error) = await Run("domains", "--config", _config);
        code.Should().Be(0, error);
        output.Should().Contain("push.example.com").And.Contain("play.example.com").And.Contain("hls.example.com").And.Contain("expects play.example.com.c.cdnhwc3.com");

        _emu.Online.Add(new EmulatedHuaweiOnline(HuaweiLiveEmulator.PushDomain, "live", "room_1001", DateTimeOffset.UtcNow.AddMinutes(-2)));
        (code, output, error) = await Run("streams", "--config", _config, "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement stream = doc.RootElement.GetProperty("streams").EnumerateArray().Should().ContainSingle().Subject;
        stream.GetProperty("stream").GetString().Should().Be("live/room_1001");
        stream.GetProperty("bitrateKbps").GetInt64().Should().Be(1264);
        _emu.Calls.Should().Contain(c => c.Route == "realtime/streams");
    }

    [Fact]
    public async Task Cost_names_the_huawei_price_options_to_set()
    {
        (int code, string output, string error) = await Run("cost", "--config", _config, "--viewers", "100", "--bitrate-kbps", "556", "--hours", "4");
        code.Should().Be(0, error);
        output.Should().Contain("Tencent").And.Contain("Huawei").And.Contain("not priced").And.Contain("LiveCloud:Huawei:Prices:Traffic:mainland");
    }
}
