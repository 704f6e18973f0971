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
    public async Task A_bitrate_that_cannot_be_priced_is_refused_naming_the_value_not_an_overflow()
    {
        (int code, string output, string error) = await Run("cost", "--config", _config, "--viewers", "1", "--bitrate-kbps", "1e308", "--hours", "1");
        code.Should().Be(2);
        output.Should().BeEmpty();
        OneLine(error).Should().Contain("BitrateKbps 1E+308 cannot be priced");
    }

    [Theory]
    [InlineData("Tencent", "\"CallbackClockSkew\": \"abc\"", "LiveCloud:Tencent:CallbackClockSkew 'abc' is not a time span (hh:mm:ss).")]
    [InlineData("Tencent", "\"Resilience\": { \"MaxRetryAttempts\": \"many\" }", "LiveCloud:Tencent:Resilience:MaxRetryAttempts 'many' is not a whole number")]
    [InlineData("Tencent", "\"UseHttpsPlayback\": \"maybe\"", "LiveCloud:Tencent:UseHttpsPlayback 'maybe' is not true or false.")]
    [InlineData("Nginx", "\"RtmpPort\": \"x\"", "LiveCloud:Nginx:RtmpPort 'x' is not a whole number")]
    [InlineData("Aliyun", "\"SignatureVersion\": \"v9\"", "LiveCloud:Aliyun:SignatureVersion 'v9' is not one of Acs3, V1.")]
    [InlineData("Tencent", "\"Prices\": { \"Traffic\": { \"mainland\": \"cheap\" } }", "LiveCloud:Tencent:Prices:Traffic:mainland has a value; it takes a list or keys instead.")]
    [InlineData("Tencent", "\"Prices\": { \"Traffic\": { \"mainland\": [ { \"From\": 0, \"Prise\": 0.1 } ] } }", "LiveCloud:Tencent:Prices:Traffic:mainland:0:Prise is not a key of PriceTierOverride")]
    public async Task A_wrong_typed_or_malformed_config_value_is_one_line_naming_key_and_value_and_exit_2(string provider, string setting, string expected)
    {
        string config = WithSetting(provider, setting);
        try
        {
            // Every command reads the configuration the same way; cost and urls both refuse it before doing anything.
            foreach (string[] args in new[] { ["urls", "--config", config, "--stream", "s", "--expires", "4102444800"], new[] { "cost", "--config", config, "--viewers", "100", "--bitrate-kbps", "556", "--hours", "4" } })
            {
                (int code, string output, string error) = await Run(args);
                code.Should().Be(2, error);
                output.Should().BeEmpty("a malformed price override is never silently replaced by the list price");
                OneLine(error).Should().Contain(expected);
            }
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData(new[] { "bogus" }, "unknown command 'bogus'; the commands are: urls, domains, streams, record, relay, cost, route.")]
    [InlineData(new[] { "record", "replay" }, "unknown command 'replay'; the commands are: start, stop, list.")]
    [InlineData(new string[0], "a command is required; the commands are: urls, domains, streams, record, relay, cost, route.")]
    public async Task An_unknown_or_missing_command_names_the_token_and_the_commands(string[] args, string expected)
    {
        (int code, _, string error) = await Run(args);
        code.Should().Be(2);
        OneLine(error).Should().Be("error: " + expected);
    }

    [Fact]
    public async Task Invalid_json_config_gives_the_file_the_line_and_the_position()
    {
        string broken = _config + ".broken.json";
        // Line 3, after "名字" (2 characters, 6 bytes in UTF-8): the position counts characters, as editors do.
        await File.WriteAllTextAsync(broken, "{ \"LiveCloud\": {\n  \"Provider\": \"Nginx\",\n  \"名字\": x } }");
        try
        {
            (int code, _, string error) = await Run("urls", "--config", broken, "--stream", "s", "--expires", "4102444800");
            code.Should().Be(2);
            OneLine(error).Should().Be($"error: config file '{broken}' is not valid JSON: line 3, position 9: 'x' is an invalid start of a value.");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task An_expiry_beyond_what_a_date_holds_is_refused_naming_the_option()
    {
        (int code, _, string error) = await Run("urls", "--config", _config, "--stream", "s", "--expires", "9223372036854775807");
        code.Should().Be(2);
        OneLine(error).Should().Contain("--expires 9223372036854775807 is not a Unix time in seconds");
    }

    private static string OneLine(string error)
    {
        error.Should().StartWith("error: ");
        error.TrimEnd().Should().NotContain("\n", "one line").And.NotContain("   at ", "no stack trace");
        return error.TrimEnd();
    }

    // The test config with one more setting in one provider's section.
    private string WithSetting(string provider, string setting)
    {
        string path = _config + $".{Guid.NewGuid():N}.json";
        string text = File.ReadAllText(_config).Replace($"\"{provider}\": {{", $"\"{provider}\": {{ {setting},", StringComparison.Ordinal);
        File.WriteAllText(path, text);
        return path;
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
