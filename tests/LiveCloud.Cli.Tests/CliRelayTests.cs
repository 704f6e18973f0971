using System.Text.Json;

namespace LiveCloud.Cli.Tests;

/// <summary>The relay commands' input checks, in-process and without a server: each ends before any call.</summary>
public sealed class CliRelayTests : IDisposable
{
    private const string Key = "live_998877_PlatformStreamKey";
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"livecloud-cli-relay-{Guid.NewGuid():N}.json");

    // HttpPort 9 (discard): nothing answers, so a command that got as far as nginx would fail with exit 1, not 2.
    public CliRelayTests() => File.WriteAllText(_config, """
        { "LiveCloud": { "Provider": "Nginx",
            "Nginx": { "SigningKey": "cli-relay-signing-key-0123456789", "HookBaseUrl": "http://127.0.0.1:9/hook", "HttpPort": 9 } } }
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
    public async Task A_private_target_is_refused_naming_the_option_without_showing_the_key()
    {
        (int code, string output, string error) = await Run("relay", "start", "--config", _config, "--stream", "live/show", "--to", $"rtmp://192.168.1.10/live/{Key}");
        code.Should().Be(2);
        output.Should().BeEmpty();
        OneLine(error).Should().Contain("LiveCloud:Nginx:AllowPrivateRelayTargets").And.NotContain(Key);
    }

    [Theory]
    [InlineData("stream without its app", "--stream: Stream id 'show' must have the form 'app/name'.", "start", "--stream", "show", "--to", "rtmp://live-push.example.com/live/" + Key)]
    [InlineData("stream of another app", "application 'other'", "start", "--stream", "other/show", "--to", "rtmp://live-push.example.com/live/" + Key)]
    [InlineData("target that is no URL", "--to must be an absolute URL", "start", "--stream", "live/show", "--to", "live-push.example.com/live/" + Key)]
    [InlineData("target of a pull scheme", "must use rtmp, rtmps, srt", "start", "--stream", "live/show", "--to", "https://live-push.example.com/live/" + Key)]
    [InlineData("end time that is no time", "--until 'tonight' is not a time", "start", "--stream", "live/show", "--to", "rtmp://live-push.example.com/live/" + Key, "--until", "tonight")]
    [InlineData("end time in the past", "is not in the future", "start", "--stream", "live/show", "--to", "rtmp://live-push.example.com/live/" + Key, "--until", "2020-01-01T00:00:00Z")]
    [InlineData("loop of a live source", "Loop", "pull", "--from", "rtmp://live.example.com/live/" + Key, "--stream", "live/show", "--loop")]
    [InlineData("source that is a local path", "--from must be an absolute URL", "pull", "--from", "/srv/shows/replay.mp4", "--stream", "live/show")]
    [InlineData("missing target", "--to", "start", "--stream", "live/show")]
    [InlineData("missing id", "--id", "get")]
    public async Task Bad_relay_input_is_one_line_naming_the_problem_and_exit_2(string why, string expected, string command, params string[] args)
    {
        (int code, string output, string error) = await Run(["relay", command, "--config", _config, .. args]);
        code.Should().Be(2, why);
        output.Should().BeEmpty();
        OneLine(error).Should().Contain(expected).And.NotContain(Key);
    }

    [Fact]
    public async Task A_self_hosted_relay_is_known_only_to_the_command_that_runs_it()
    {
        (int code, string output, string error) = await Run("relay", "list", "--config", _config);
        code.Should().Be(0, error);
        output.Should().Contain("no relays in this process").And.Contain("'relay start' or 'relay pull' that runs it");

        (code, output, _) = await Run("relay", "list", "--config", _config, "--json");
        code.Should().Be(0);
        using (JsonDocument doc = JsonDocument.Parse(output))
        {
            doc.RootElement.GetProperty("provider").GetString().Should().Be("nginx");
            doc.RootElement.GetProperty("relays").GetArrayLength().Should().Be(0);
        }

        foreach (string command in new[] { "get", "stop" })
        {
            (code, _, error) = await Run("relay", command, "--config", _config, "--id", "relay-0123456789ab");
            code.Should().Be(1, "an unknown relay is a failure, not bad input");
            OneLine(error).Should().Contain("relay-0123456789ab").And.Contain("belongs to the process that started it");
        }
    }

    [Fact]
    public async Task Relay_without_a_subcommand_names_them()
    {
        (int code, _, string error) = await Run("relay");
        code.Should().Be(2);
        OneLine(error).Should().Be("error: a command is required; the commands are: start, pull, stop, get, list.");
    }

    private static string OneLine(string error)
    {
        error.Should().StartWith("error: ");
        error.TrimEnd().Should().NotContain("\n", "one line").And.NotContain("   at ", "no stack trace");
        return error.TrimEnd();
    }
}
