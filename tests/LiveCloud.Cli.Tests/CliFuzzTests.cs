using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace LiveCloud.Cli.Tests;

/// <summary>
/// The standing fuzz test of the CLI's argument and configuration parsing, in-process through
/// <see cref="CliApp.RunAsync"/>: seeded and bounded, it generates argument vectors (unknown commands and options,
/// missing and repeated options, huge and non-finite numbers, unicode, control characters, response files) and
/// config files (wrong-typed values, missing keys, unknown keys, malformed price overrides, scalars where sections
/// belong, empty files, invalid JSON, random bytes, deep nesting). Every input must end in exit code 0 or 2, never an
/// exception out of <c>RunAsync</c>, and exit 2 must be one line on stderr without a stack trace. A failure prints the
/// seed, the case number, the arguments and the config file. <c>LIVECLOUD_CLI_FUZZ_SEED</c> and
/// <c>LIVECLOUD_CLI_FUZZ_CASES</c> change the seed and the count for a longer run by hand.
/// </summary>
public sealed class CliFuzzTests(ITestOutputHelper log) : IDisposable
{
    private const int DefaultSeed = 20_261_201;
    private const int DefaultCases = 600;

    private readonly string _dir = Directory.CreateTempSubdirectory("livecloud-cli-fuzz-").FullName;

    // Commands that would call a vendor or nginx once the input is valid (and relays, which a self-hosted provider
    // would run in-process): the fuzz always gives them an unknown provider, so they end at their argument checks or at
    // start-up validation (exit 2) and no case reaches the network.
    private static readonly string[][] NetworkCommands = [["domains"], ["streams"], ["record", "start"], ["record", "stop"], ["record", "list"]];

    private static readonly string[] Hostile =
    [
        "", " ", "abc", "many", "maybe", "v9", "x", "-1", "0", "1e308", "-1e308", "1e400", "NaN", "Infinity", "-Infinity",
        "99999999999999999999", "9223372036854775807", "-9223372036854775808", "2147483648", "0x10", "1,5", "1.5.5", "00:00:-1",
        "10675199.02:48:05.4775808", "true", "null", "[]", "{}", "名字", "🎥🎥🎥", "\u202Eevil", "\u200B", "a\u0000b", "line\nbreak",
        "tab\there", "'quote'", "\"dq\"", "../../etc/passwd", "http://[::1", "rtmp://x", new string('9', 400), new string('名', 3000),
        "-", "--", "@", "@/nonexistent/response.rsp", "[suggest]", "-?", "--json", "--config", "%s%n", "\\", "\uFFFF", "\uD800",
    ];

    private static readonly string[] ExtraTokens =
    [
        "--bogus", "-x", "--stream", "--app", "--expires", "--json", "--viewers", "--bitrate-kbps", "--hours", "--task-id", "--config",
        "urls", "cost", "record", "start", "zz", "--help", "--version", "-h", "[suggest]", "--json=maybe", "--expires=1", "@",
        "relay", "pull", "--to", "--from", "--until", "--id", "--loop", "--loop=maybe", "--until=0",
    ];

    // Relay arguments, good and bad; the commands end before any call (see NetworkCommands), after the CLI read them.
    private static readonly string[] RelayStreams = ["live/show", "show", "a/b/c", "/x", "x/", "live/名字", "live/bad name"];
    private static readonly string[] RelayUrls =
    [
        "rtmp://live-push.example.com/app/stream-key", "rtmps://ingest.example.com:443/app/key?x=1", "srt://ingest.example.com:9000?streamid=k",
        "https://cdn.example.com/replay.mp4", "rtmp://10.0.0.1/app/key", "rtmp://[::1]/app/key", "not a url", "/srv/replay.mp4", "rtmp://", "ftp://x/y",
    ];
    private static readonly string[] RelayTimes = ["2099-01-01T00:00:00Z", "4102444800", "0", "yesterday", "2020-01-01", "99999999999999999999", "+5"];

    // Keys of the base config with what a valid value looks like; mutations put hostile values there or remove them.
    private static readonly string[] TypedKeys =
    [
        "Tencent:CallbackClockSkew", "Tencent:UseHttpsPlayback", "Tencent:UseBackupKeys", "Tencent:Endpoint", "Tencent:Resilience:MaxRetryAttempts",
        "Tencent:Resilience:BaseDelay", "Tencent:Resilience:CircuitBreakerFailureRatio", "Tencent:PushDomain", "Tencent:SecretKey", "Tencent:AppName",
        "Aliyun:SignatureVersion", "Aliyun:SrtPort", "Aliyun:UseHttps", "Aliyun:CallbackMaxAge", "Aliyun:RecordingBaseUrl", "Aliyun:RecordingListWindow",
        "Aliyun:PushKey", "Nginx:RtmpPort", "Nginx:HttpPort", "Nginx:StartTimeout", "Nginx:RequestTimeout", "Nginx:HookBaseUrl", "Nginx:SigningKey",
        "Nginx:PublicHost", "Nginx:Pricing:NicMbps", "Nginx:Pricing:ServerMonthlyCost", "Nginx:Pricing:AsOf", "Nginx:Pricing:Currency",
        "Nginx:Domains:0:Name", "Nginx:Domains:0:Kind", "Qiniu:Hub", "Qiniu:Endpoint", "Dns:Timeout", "Dns:Retries", "Dns:UseCache",
        "Dns:NameServers:0", "Provider", "Tencent:Prices:Traffic:mainland:0:Price", "Tencent:Prices:Traffic:mainland:0:From",
        "Tencent:Prices:Traffic:mainland:1:From", "Tencent:Prices:TrafficRule", "Tencent:Prices:Transcoding:1080p", "Tencent:Prices:RecordingPerChannelMonth",
        "Tencent:Prices:Trafic", "Tencent:Prices:Traffic:mainland", "Tencent:Prices", "Aliyun:Prices:DailyPeakBandwidth:mainland:0:Price", "Tencent:Resilience",
        "Nginx:Domains", "Tencent", "Aliyun", "Nginx", "Unknown:Key",
    ];

    private static readonly string BaseConfig = """
        { "LiveCloud": { "Provider": "Nginx",
            "Nginx": { "SigningKey": "cli-fuzz-signing-key-0123456789", "HookBaseUrl": "http://127.0.0.1:5080/api/callbacks/nginx" },
            "Tencent": { "SecretId": "AKIDEXAMPLEID", "SecretKey": "EXAMPLEKEY", "PushDomain": "push.example.com", "PushKey": "abc",
                         "PlayDomain": "play.example.com", "PlayKey": "abc",
                         "Prices": { "Traffic": { "mainland": [ { "From": 0, "Price": 0.25 }, { "From": 100, "Price": 0.2 } ] } } },
            "Aliyun": { "AccessKeyId": "testid", "AccessKeySecret": "testsecret", "PushDomain": "push.example.com", "PushKey": "PushKey123456789",
                        "PlayDomain": "play.example.com", "PlayKey": "PlayKey0987654321" } } }
        """;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Hostile_arguments_and_config_files_end_in_exit_0_or_2_with_one_line_and_no_stack_trace()
    {
        int seed = Setting("LIVECLOUD_CLI_FUZZ_SEED", DefaultSeed);
        int cases = Setting("LIVECLOUD_CLI_FUZZ_CASES", DefaultCases);
        var random = new Random(seed);
        var failures = new List<string>();
        var codes = new Dictionary<int, int>();
        for (int i = 0; i < cases; i++)
        {
            // A third of the cases fuzz the arguments over a valid config, a third the config under valid arguments
            // (so its parsing is reached, not hidden behind an argument error), a third both.
            int mode = i % 3;
            string config = Path.Combine(_dir, $"case-{i}.json");
            byte[] content = mode == 0 ? Encoding.UTF8.GetBytes(BaseConfig) : ConfigFile(random);
            await File.WriteAllBytesAsync(config, content);
            string[] args = mode == 1 ? ValidArguments(random, config) : Arguments(random, config);
            (int code, string? problem) = await Check(args);
            codes[code] = codes.GetValueOrDefault(code) + 1;
            if (problem is not null)
            {
                failures.Add($"seed {seed}, case {i}: {problem}\n  args: {Show(args)}\n  config: {Show(Encoding.UTF8.GetString(content))}");
            }

            File.Delete(config);
        }

        log.WriteLine($"seed {seed}, {cases} cases; exit codes: {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key} × {c.Value}"))}");
        if (failures.Count > 0)
        {
            Assert.Fail($"Every input must end in exit 0 or 2 with one clean line; {failures.Count} did not. The first:\n{string.Join("\n", failures.Take(5))}");
        }

        codes.GetValueOrDefault(0).Should().BeGreaterThan(cases / 50, "the generator also makes valid inputs, so the success path is fuzzed too");
        codes.GetValueOrDefault(2).Should().BeGreaterThan(cases / 2, "most inputs are bad");
    }

    // The exit code (-1 when RunAsync threw) and what is wrong with the outcome, if anything.
    private static async Task<(int Code, string? Problem)> Check(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code;
        try
        {
            code = await CliApp.RunAsync(args, output, error);
        }
        catch (Exception e)
        {
            return (-1, $"RunAsync threw {e.GetType().Name}: {e.Message}");
        }

        string err = error.ToString();
        return (code, code switch
        {
            0 when err.Length > 0 => $"exit 0 with stderr {Show(err)}",
            0 => null,
            2 when !err.StartsWith("error: ", StringComparison.Ordinal) || err.TrimEnd().Contains('\n', StringComparison.Ordinal) => $"exit 2 without one 'error: ' line: {Show(err)}",
            2 when err.Contains("   at ", StringComparison.Ordinal) || err.Contains("Exception:", StringComparison.Ordinal) => $"exit 2 with a stack trace: {Show(err)}",
            2 => null,
            _ => $"exit {code}: {Show(err)}",
        });
    }

    private static string[] Arguments(Random random, string config)
    {
        var args = new List<string>();
        bool network = false;
        switch (random.Next(10))
        {
            case < 4:
                args.Add("urls");
                Maybe(random, args, "--config", config, 0.9);
                Maybe(random, args, "--stream", Pick(random, ["room1", "a-b_c.1", "s"]), 0.85);
                Maybe(random, args, "--expires", Pick(random, ["4102444800", "253402300799"]), 0.85);
                Maybe(random, args, "--app", "live", 0.2);
                Maybe(random, args, "--provider", Pick(random, ["nginx", "tencent", "aliyun", "Tencent"]), 0.4);
                Maybe(random, args, "--json", null, 0.5);
                break;
            case < 8:
                args.Add("cost");
                Maybe(random, args, "--config", config, 0.9);
                Maybe(random, args, "--viewers", Pick(random, ["100", "1", "0", "2147483647"]), 0.85);
                Maybe(random, args, "--bitrate-kbps", Pick(random, ["556", "2500", "0.5", "10000000"]), 0.85);
                Maybe(random, args, "--hours", Pick(random, ["4", "24", "0.1"]), 0.85);
                Maybe(random, args, "--json", null, 0.5);
                break;
            case 8 when random.Next(2) == 0:
                network = true;
                string relay = Pick(random, ["start", "pull", "stop", "get", "list"]);
                args.AddRange(["relay", relay]);
                Maybe(random, args, "--config", config, 0.9);
                Maybe(random, args, "--stream", Pick(random, random.Next(4) == 0 ? Hostile : RelayStreams), relay is "start" or "pull" ? 0.85 : 0.2);
                Maybe(random, args, relay == "pull" ? "--from" : "--to", Pick(random, random.Next(4) == 0 ? Hostile : RelayUrls), relay is "start" or "pull" ? 0.85 : 0.2);
                Maybe(random, args, "--until", Pick(random, random.Next(4) == 0 ? Hostile : RelayTimes), 0.4);
                Maybe(random, args, "--loop", null, relay == "pull" ? 0.4 : 0.1);
                Maybe(random, args, "--id", Pick(random, ["relay-0123456789ab", "x", ""]), relay is "stop" or "get" ? 0.85 : 0.1);
                Maybe(random, args, "--json", null, 0.3);
                break;
            case 8:
                network = true;
                args.AddRange(Pick(random, NetworkCommands));
                Maybe(random, args, "--config", config, 0.9);
                Maybe(random, args, "--stream", "room1", 0.7);
                Maybe(random, args, "--task-id", "t1", 0.5);
                Maybe(random, args, "--json", null, 0.3);
                break;
            default:
                args.Add(Pick(random, Hostile));
                break;
        }

        // Hostile edits: replace values, drop or repeat tokens, add stray ones.
        int edits = random.Next(4);
        for (int e = 0; e < edits && args.Count > 0; e++)
        {
            int at = random.Next(args.Count);
            switch (random.Next(4))
            {
                case 0 when !args[at].StartsWith("--", StringComparison.Ordinal) && at > 0:
                    args[at] = Pick(random, Hostile);
                    break;
                case 1:
                    args.RemoveAt(at);
                    break;
                case 2:
                    args.Insert(at, args[at]);
                    break;
                default:
                    args.Insert(at, random.Next(2) == 0 ? Pick(random, ExtraTokens) : Pick(random, Hostile));
                    break;
            }
        }

        if (network)
        {
            // Never a vendor call: whatever else happened, the provider is one that is not configured.
            args.RemoveAll(a => a.StartsWith("--provider", StringComparison.Ordinal) || a.StartsWith('@'));
            args.AddRange(["--provider", "not-configured"]);
        }

        return [.. args];
    }

    private static string[] ValidArguments(Random random, string config) => random.Next(2) == 0
        ? ["urls", "--config", config, "--stream", "room1", "--expires", "4102444800", .. (random.Next(2) == 0 ? new[] { "--json" } : [])]
        : ["cost", "--config", config, "--viewers", "100", "--bitrate-kbps", "556", "--hours", "4", .. (random.Next(2) == 0 ? new[] { "--json" } : [])];

    private static byte[] ConfigFile(Random random)
    {
        switch (random.Next(20))
        {
            case 0:
                return [];
            case 1:
                return Encoding.UTF8.GetBytes(Pick(random, [" ", "\n\n", "null", "[1,2]", "\"LiveCloud\"", "42", "{", "{}", "{\"LiveCloud\": null}", "{\"LiveCloud\": \"x\"}", "{\"LiveCloud\": []}"]));
            case 2:
                byte[] noise = new byte[random.Next(1, 200)];
                random.NextBytes(noise);
                return noise;
            case 3:
                int depth = random.Next(50, 300);
                return Encoding.UTF8.GetBytes("{\"LiveCloud\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth + 1));
            case 4:
                return Encoding.UTF8.GetBytes("{ \"LiveCloud\": { \"Provider\": \"Nginx\", \"Provider\": \"Tencent\" } }");
            default:
                break;
        }

        JsonNode root = JsonNode.Parse(BaseConfig)!;
        int mutations = random.Next(0, 4);
        for (int m = 0; m < mutations; m++)
        {
            Mutate(random, root["LiveCloud"]!.AsObject());
        }

        string text = root.ToJsonString();
        switch (random.Next(12))
        {
            case 0:
                // Cut the file short somewhere.
                text = text[..random.Next(text.Length)];
                break;
            case 1:
                // A stray character where the grammar does not allow one.
                int at = random.Next(text.Length);
                text = text[..at] + Pick(random, [",", "x", "}", "\"", ":", "\u0000", "名", "//", "]"]) + text[at..];
                break;
            case 2:
                return [.. "\uFEFF"u8, .. Encoding.UTF8.GetBytes(text)];
            default:
                break;
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static void Mutate(Random random, JsonObject section)
    {
        string[] path = Pick(random, TypedKeys).Split(':');
        JsonObject parent = section;
        for (int i = 0; i < path.Length - 1; i++)
        {
            if (parent[path[i]] is JsonObject child)
            {
                parent = child;
            }
            else if (parent[path[i]] is JsonArray array && int.TryParse(path[i + 1], CultureInfo.InvariantCulture, out int index) && index < array.Count && array[index] is JsonObject element && i + 2 < path.Length)
            {
                parent = element;
                i++;
            }
            else
            {
                var created = new JsonObject();
                parent[path[i]] = created;
                parent = created;
            }
        }

        string key = path[^1];
        switch (random.Next(6))
        {
            case 0:
                parent.Remove(key);
                break;
            case 1:
                parent[key] = JsonValue.Create(Pick(random, [1e308, -1, 0, 1.5, 99999999999d, double.MaxValue]));
                break;
            case 2:
                parent[key] = Pick<JsonNode?>(random, [null, new JsonObject { ["x"] = 1 }, new JsonArray(1, "a"), JsonValue.Create(true)]);
                break;
            default:
                parent[key] = JsonValue.Create(Pick(random, Hostile));
                break;
        }
    }

    private static void Maybe(Random random, List<string> args, string option, string? value, double chance)
    {
        if (random.NextDouble() < chance)
        {
            args.Add(option);
            if (value is not null)
            {
                args.Add(value);
            }
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) ? value : fallback;

    // Inputs shown escaped, so a failure message is readable whatever the bytes were.
    private static string Show(IEnumerable<string> args) => "[" + string.Join(", ", args.Select(Show)) + "]";

    private static string Show(string text)
    {
        string cut = text.Length > 600 ? text[..600] + "…" : text;
        return "\"" + string.Concat(cut.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
    }
}
