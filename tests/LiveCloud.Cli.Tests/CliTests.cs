using System.Text.Json;

namespace LiveCloud.Cli.Tests;

/// <summary>The CLI in-process: the JSON contracts, the exit codes, one-line errors.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"livecloud-cli-{Guid.NewGuid():N}.json");

    public CliTests() => File.WriteAllText(_config, """
        { "LiveCloud": { "Provider": "Nginx",
            "Nginx": { "SigningKey": "cli-test-signing-key-0123456789", "HookBaseUrl": "http://127.0.0.1:5080/api/callbacks/nginx" },
            "Tencent": { "SecretId": "AKIDEXAMPLEID", "SecretKey": "EXAMPLEKEY", "PushDomain": "push.example.com", "PushKey": "abc",
                         "PlayDomain": "play.example.com", "PlayKey": "abc" },
            "Aliyun": { "AccessKeyId": "testid", "AccessKeySecret": "testsecret", "PushDomain": "push.example.com", "PushKey": "PushKey123456789",
                        "PlayDomain": "play.example.com", "PlayKey": "PlayKey0987654321" } } }
        """);

    public void Dispose() => File.Delete(_config);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Urls_json_is_one_object_with_protocol_names_and_signed_urls()
    {
        // Tencent vector row 8 of shared/vendors/tencent.md: key "abc", stream "a-b_c.1", txTime F4865700.
        (int code, string output, string error) = await Run("urls", "--config", _config, "--provider", "tencent", "--stream", "a-b_c.1", "--expires", "4102444800", "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("provider").GetString().Should().Be("tencent");
        JsonElement push = doc.RootElement.GetProperty("push");
        push[0].GetProperty("protocol").GetString().Should().Be("rtmp");
        push[0].GetProperty("url").GetString().Should().Be("rtmp://push.example.com/live/a-b_c.1?txSecret=5b9884799a68466213475c67ab720e7b&txTime=F4865700");
        doc.RootElement.GetProperty("play").EnumerateArray().Select(p => p.GetProperty("protocol").GetString())
            .Should().BeEquivalentTo("rtmp", "flv", "hls", "webrtc");
        output.Trim().Should().NotContain("\n", "exactly one JSON object on one line");
    }

    [Fact]
    public async Task Urls_work_for_aliyun_with_type_a_auth_keys()
    {
        (int code, string output, string error) = await Run("urls", "--config", _config, "--provider", "aliyun", "--stream", "room_1001", "--expires", "4102444800", "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("provider").GetString().Should().Be("aliyun");
        // Type A, recomputed here: md5("{URI}-{timestamp}-{rand}-{uid}-{key}") over the path only (aliyun.md §1).
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.CryptographicOperations.HashData(System.Security.Cryptography.HashAlgorithmName.MD5, "/live/room_1001-4102444800-0-0-PushKey123456789"u8));
        doc.RootElement.GetProperty("push")[0].GetProperty("url").GetString().Should().Be($"rtmp://push.example.com/live/room_1001?auth_key=4102444800-0-0-{hash}");
        doc.RootElement.GetProperty("play").EnumerateArray().Select(p => p.GetProperty("protocol").GetString()).Should().Contain(["rtmp", "flv", "hls", "artc"]);
    }

    [Fact]
    public async Task Urls_default_to_the_configured_provider()
    {
        (int code, string output, _) = await Run("urls", "--config", _config, "--stream", "room1", "--expires", "4102444800", "--json");
        code.Should().Be(0);
        using JsonDocument doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("provider").GetString().Should().Be("nginx");
        doc.RootElement.GetProperty("play").EnumerateArray().Select(p => p.GetProperty("protocol").GetString()).Should().BeEquivalentTo("rtmp", "hls");
    }

    [Fact]
    public async Task Cost_json_ranks_cheapest_first_and_tencent_lands_in_the_seed_range()
    {
        (int code, string output, string error) = await Run("cost", "--config", _config, "--viewers", "100", "--bitrate-kbps", "556", "--hours", "4", "--json");
        code.Should().Be(0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement[] estimates = [.. doc.RootElement.GetProperty("estimates").EnumerateArray()];
        estimates.Select(e => e.GetProperty("total").GetDecimal()).Should().BeInAscendingOrder();
        JsonElement tencent = estimates.Single(e => e.GetProperty("provider").GetString() == "tencent");
        tencent.GetProperty("total").GetDecimal().Should().BeInRange(20m, 30m, "100 viewers × 4 h at 556 kbps ≈ 100 GB at 0.26 CNY/GB");
        tencent.GetProperty("currency").GetString().Should().Be("CNY");
        tencent.GetProperty("billingMode").GetString().Should().Be("traffic");
    }

    [Theory]
    [InlineData("unknown provider", "'wowza' is not a configured provider", "urls", "--provider", "wowza", "--stream", "s", "--expires", "4102444800")]
    [InlineData("bad stream name", "'bad name'", "urls", "--stream", "bad name", "--expires", "4102444800")]
    [InlineData("expiry in the past", "is not in the future", "urls", "--stream", "s", "--expires", "100")]
    [InlineData("negative viewers", "PeakViewers", "cost", "--viewers", "-1", "--bitrate-kbps", "556", "--hours", "4")]
    public async Task Bad_input_is_one_line_naming_the_problem_and_exit_code_2(string why, string expected, params string[] args)
    {
        (int code, _, string error) = await Run([.. args.Take(1), "--config", _config, .. args.Skip(1)]);
        code.Should().Be(2, why);
        error.Should().StartWith("error: ").And.Contain(expected);
        error.TrimEnd().Should().NotContain("\n", "one line").And.NotContain("   at ", "no stack trace");
    }

    [Fact]
    public async Task Missing_key_and_missing_file_and_missing_option_exit_2()
    {
        string broken = _config + ".broken.json";
        await File.WriteAllTextAsync(broken, """{ "LiveCloud": { "Provider": "Tencent", "Tencent": { "PushDomain": "push.example.com" } } }""");
        try
        {
            (int code, _, string error) = await Run("urls", "--config", broken, "--stream", "s", "--expires", "4102444800");
            code.Should().Be(2);
            error.Should().Contain("LiveCloud:Tencent:SecretKey");
        }
        finally
        {
            File.Delete(broken);
        }

        (await Run("urls", "--config", "/nonexistent/x.json", "--stream", "s", "--expires", "1")).Code.Should().Be(2);
        (int missing, _, string message) = await Run("urls", "--stream", "s");
        missing.Should().Be(2);
        message.Should().Contain("--config");
    }
}
