using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using LiveCloud.Costs;
using LiveCloud.Nginx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Cli;

/// <summary>
/// The commands. Exit codes: 0 success, 1 a vendor or runtime failure (a relay that failed included), 2 bad input
/// (unknown provider, missing key, bad stream name, expiry in the past, a relay target refused…) — always one line on
/// stderr, never a stack trace.
/// </summary>
internal static class CliApp
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // What DateTimeOffset holds: 0001-01-01 to 9999-12-31.
    private const long UnixSecondsMin = -62_135_596_800;
    private const long UnixSecondsMax = 253_402_300_799;

    // Every provider package; only those configured in the file are registered.
    private static void AddProviders(LiveCloudBuilder builder) => builder.AddTencent().AddAliyun().AddQiniu().AddNginx().AddHuawei().AddVolcengine();

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var config = new Option<string>("--config") { Description = "An appsettings-style JSON file with a LiveCloud section.", Required = true };
        var provider = new Option<string?>("--provider") { Description = "The provider to use; LiveCloud:Provider by default." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var app = new Option<string>("--app") { Description = "The app name (Qiniu: the hub).", DefaultValueFactory = _ => "live" };
        var stream = new Option<string>("--stream") { Description = "The stream name.", Required = true };

        var expires = new Option<long>("--expires") { Description = "Expiry as Unix seconds.", Required = true };
        var urls = new Command("urls", "Every push and play URL the provider can sign.") { config, provider, app, stream, expires, json };
        urls.SetAction((parse, token) => Run(parse, error, config, provider, p => UrlsAsync(p, parse, output, app, stream, expires, json)));

        var domains = new Command("domains", "Push/play domains with the vendor's status and what DNS answers for their CNAME.") { config, provider, json };
        domains.SetAction((parse, token) => Run(parse, error, config, provider, p => DomainsAsync(p.Default, output, parse.GetValue(json), token)));

        var streams = new Command("streams", "Streams being pushed now.") { config, provider, json };
        streams.SetAction((parse, token) => Run(parse, error, config, provider, p => StreamsAsync(p.Default, output, parse.GetValue(json), token)));

        var taskId = new Option<string>("--task-id") { Description = "The recording task id printed by 'record start'.", Required = true };
        var recordStart = new Command("start", "Start recording a stream.") { config, provider, app, stream };
        recordStart.SetAction((parse, token) => Run(parse, error, config, provider, async p =>
        {
            RecordingTask task = await p.Default.StartRecordingAsync(new StreamId(parse.GetValue(app)!, parse.GetValue(stream)!), null, token);
            await output.WriteLineAsync($"recording {task.Stream} as task {task.Id}");
        }));
        var recordStop = new Command("stop", "Stop a recording.") { config, provider, app, stream, taskId };
        recordStop.SetAction((parse, token) => Run(parse, error, config, provider, async p =>
        {
            var id = new StreamId(parse.GetValue(app)!, parse.GetValue(stream)!);
            await p.Default.StopRecordingAsync(new RecordingTask(parse.GetValue(taskId)!, id, DateTimeOffset.MinValue), token);
            await output.WriteLineAsync($"stopped task {parse.GetValue(taskId)}");
        }));
        var recordList = new Command("list", "Recorded files with playback URLs.") { config, provider, app, stream, json };
        recordList.SetAction((parse, token) => Run(parse, error, config, provider, p =>
            RecordingsAsync(p.Default, new StreamId(parse.GetValue(app)!, parse.GetValue(stream)!), output, parse.GetValue(json), token)));
        var record = new Command("record", "Start, stop and list recordings.") { recordStart, recordStop, recordList };

        var viewers = new Option<int>("--viewers") { Description = "Concurrent viewers.", Required = true };
        var bitrate = new Option<double>("--bitrate-kbps") { Description = "Bitrate each viewer receives, kbit/s.", Required = true };
        var hours = new Option<double>("--hours") { Description = "Hours of the show.", Required = true };
        var cost = new Command("cost", "What a show costs on every configured provider that has prices, cheapest first.") { config, viewers, bitrate, hours, json };
        cost.SetAction((parse, token) => Run(parse, error, config, provider, p => CostAsync(p, parse, output, viewers, bitrate, hours, json)));

        var routeStream = new Option<string>("--stream") { Description = "The stream, app/name.", Required = true };
        var region = new Option<string?>("--region") { Description = "The viewer's billing region (mainland, europe…); the price tables' default when left out." };
        var route = new Command("route", "Which member of a multi-cloud provider a viewer and a host are sent to now, and why (after checking each member).") { config, provider, routeStream, region, json };
        route.SetAction((parse, token) => Run(parse, error, config, provider, p => RouteAsync(p, output, parse.GetValue(routeStream)!, parse.GetValue(region), parse.GetValue(json), token)));

        Command relay = RelayCommand(config, provider, json, output, error);

        var root = new RootCommand("LiveCloud: signed live-stream URLs, domains, streams, recordings, relays and cost over Tencent, Aliyun, Qiniu, Volcengine, Huawei and nginx-rtmp.")
        {
            urls, domains, streams, record, relay, cost, route,
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await WriteError(error, ParseProblem(parsed));
            return 2;
        }

        // Ctrl+C cancels the command's token; a self-hosted relay then stops its ffmpeg before the process ends.
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    // relay start|pull|stop|get|list. A self-hosted (nginx) relay is an ffmpeg of this process: 'start' and 'pull' then
    // stay, printing each status change, until the relay ends or Ctrl+C stops it.
    private static Command RelayCommand(Option<string> config, Option<string?> provider, Option<bool> json, TextWriter output, TextWriter error)
    {
        var stream = new Option<string>("--stream") { Description = "The provider's stream as app/name, e.g. live/room1.", Required = true };
        var to = new Option<string>("--to") { Description = "Where to push: the platform's ingest URL with its stream key (rtmp, rtmps or srt).", Required = true };
        var from = new Option<string>("--from") { Description = "What to pull: an rtmp(s), srt or http(s) FLV/HLS URL, or an http(s) file.", Required = true };
        var until = new Option<string?>("--until") { Description = "When the relay stops by itself: ISO 8601 (2026-12-01T20:00:00Z) or Unix seconds." };
        var loop = new Option<bool>("--loop") { Description = "Play a file source (http or https) again when it ends." };
        var id = new Option<string>("--id") { Description = "The relay id 'relay start' or 'relay pull' printed.", Required = true };

        var start = new Command("start", "Push a stream of the provider out to another platform (simulcast). With the self-hosted nginx provider the relay runs inside this command until Ctrl+C, its end time or the stream's end.")
        {
            config, provider, stream, to, until, json,
        };
        start.SetAction((parse, token) => Run(
            parse,
            error,
            config,
            provider,
            () => RelayRequest.PushTo(RelayStream(parse.GetValue(stream)!), RelayUrl("--to", parse.GetValue(to)!), Until(parse.GetValue(until))),
            (p, request) => StartRelayAsync(p.Default, request, output, parse.GetValue(json), token)));

        var pull = new Command("pull", "Pull an outside stream or file into a stream of the provider. With the self-hosted nginx provider the relay runs inside this command until Ctrl+C, its end time or the source's end.")
        {
            config, provider, from, stream, loop, until, json,
        };
        pull.SetAction((parse, token) => Run(
            parse,
            error,
            config,
            provider,
            () => RelayRequest.PullFrom(RelayUrl("--from", parse.GetValue(from)!), RelayStream(parse.GetValue(stream)!), Until(parse.GetValue(until)), parse.GetValue(loop)),
            (p, request) => StartRelayAsync(p.Default, request, output, parse.GetValue(json), token)));

        var stop = new Command("stop", "Stop a relay (a self-hosted relay only from the command that runs it: press Ctrl+C there).") { config, provider, id };
        stop.SetAction((parse, token) => Run(parse, error, config, provider, async p =>
        {
            await p.Default.StopRelayAsync(parse.GetValue(id)!, token);
            await output.WriteLineAsync($"stopped relay {parse.GetValue(id)}");
        }));

        var get = new Command("get", "A relay's status.") { config, provider, id, json };
        get.SetAction((parse, token) => Run(parse, error, config, provider, async p =>
            await WriteRelayAsync(p.Default, await p.Default.GetRelayAsync(parse.GetValue(id)!, token), output, parse.GetValue(json))));

        var list = new Command("list", "The provider's relays (a self-hosted relay is listed only by the command that runs it).") { config, provider, json };
        list.SetAction((parse, token) => Run(parse, error, config, provider, p => ListRelaysAsync(p.Default, output, parse.GetValue(json), token)));

        return new Command("relay", "Push a stream out to other platforms, pull outside streams in; stop, get and list relays. A self-hosted (nginx) relay belongs to the process that started it: it runs while 'relay start' or 'relay pull' runs.")
        {
            start, pull, stop, get, list,
        };
    }

    private static async Task StartRelayAsync(IStreamProvider p, RelayRequest relayRequest, TextWriter output, bool json, CancellationToken token)
    {
        if (p.GetService<NginxStreamProvider>() is not { } local)
        {
            await WriteRelayAsync(p, await p.StartRelayAsync(relayRequest, token), output, json);
            return;
        }

        // Self-hosted: the relay is this process's ffmpeg. Follow it (every status change) until it is over or Ctrl+C.
        var changes = Channel.CreateUnbounded<StreamEvent>();
        void OnChange(object? sender, StreamEvent e) => changes.Writer.TryWrite(e);
        local.RelayStatusChanged += OnChange;
        try
        {
            RelayTask relay = await p.StartRelayAsync(relayRequest, token);
            await WriteRelayAsync(p, relay, output, json);
            if (!json)
            {
                await output.WriteLineAsync($"relay {relay.Id} runs inside this command (self-hosted provider): Ctrl+C stops it");
            }

            try
            {
                await foreach (StreamEvent change in changes.Reader.ReadAllAsync(token))
                {
                    if (change.RelayId != relay.Id || change.Detail is null || change.Detail.StartsWith(nameof(RelayStatus.Starting), StringComparison.Ordinal))
                    {
                        continue;
                    }

                    relay = await p.GetRelayAsync(relay.Id, CancellationToken.None);
                    if (json)
                    {
                        await WriteRelayAsync(p, relay, output, json);
                    }
                    else
                    {
                        await output.WriteLineAsync($"{change.OccurredAt:u} relay {relay.Id}: {change.Detail}");
                    }

                    if (relay.Status is RelayStatus.Stopped or RelayStatus.Failed or RelayStatus.Ended)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                await p.StopRelayAsync(relay.Id, CancellationToken.None);
                relay = await p.GetRelayAsync(relay.Id, CancellationToken.None);
                await (json ? WriteRelayAsync(p, relay, output, json) : output.WriteLineAsync($"stopped relay {relay.Id}"));
            }

            if (relay.Status == RelayStatus.Failed)
            {
                throw new LiveCloudException($"relay {relay.Id} failed: {relay.Reason}") { Provider = p.Name };
            }
        }
        finally
        {
            local.RelayStatusChanged -= OnChange;
        }
    }

    private static async Task ListRelaysAsync(IStreamProvider p, TextWriter output, bool json, CancellationToken token)
    {
        var relays = new List<RelayTask>();
        await foreach (RelayTask relay in p.ListRelaysAsync(token))
        {
            relays.Add(relay);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { provider = p.Name.ToLowerInvariant(), relays = relays.Select(RelayJson) }, Json));
            return;
        }

        bool local = p.GetService<NginxStreamProvider>() is not null;
        await output.WriteLineAsync(relays.Count > 0 ? $"{relays.Count} relays:"
            : local ? "no relays in this process (a self-hosted relay is listed only by the 'relay start' or 'relay pull' that runs it)" : "no relays");
        foreach (RelayTask relay in relays)
        {
            await output.WriteLineAsync(RelayLine(relay));
        }
    }

    private static Task WriteRelayAsync(IStreamProvider p, RelayTask relay, TextWriter output, bool json) => json
        ? output.WriteLineAsync(JsonSerializer.Serialize(new { provider = p.Name.ToLowerInvariant(), relay = RelayJson(relay) }, Json))
        : output.WriteLineAsync(RelayLine(relay));

    // RelayTask.Remote is already redacted by the provider: never the stream key.
    private static object RelayJson(RelayTask r) => new
    {
        id = r.Id,
        direction = r.Direction.ToString().ToLowerInvariant(),
        stream = r.Stream.ToString(),
        remote = r.Remote,
        status = r.Status.ToString().ToLowerInvariant(),
        endsAt = r.EndsAt,
        createdAt = r.CreatedAt,
        reason = r.Reason,
    };

    private static string RelayLine(RelayTask r) =>
        $"relay {r.Id}: {r.Direction.ToString().ToLowerInvariant()} {r.Stream} {(r.Direction == RelayDirection.Push ? "→" : "←")} {r.Remote}, {r.Status.ToString().ToLowerInvariant()}"
        + (r.EndsAt is { } end ? $", until {end:u}" : string.Empty) + (r.Reason is { } reason ? $" ({reason})" : string.Empty);

    private static StreamId RelayStream(string value)
    {
        try
        {
            return StreamId.Parse(value);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"--stream: {ex.Message.Replace(" (Parameter 'value')", string.Empty, StringComparison.Ordinal)} (e.g. live/room1)", ex);
        }
    }

    // The URL itself is never echoed: it may hold the platform's stream key.
    private static Uri RelayUrl(string option, string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? url) && !url.IsFile
            ? url
            : throw new ArgumentException($"{option} must be an absolute URL such as rtmp://live-push.example.com/app/stream-key (the value is not shown: it may hold a stream key).");

    private static DateTimeOffset? Until(string? value)
    {
        if (value is null)
        {
            return null;
        }

        DateTimeOffset until;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= UnixSecondsMax)
        {
            until = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out until))
        {
            throw new ArgumentException($"--until '{value}' is not a time: give ISO 8601 (e.g. 2026-12-01T20:00:00Z) or Unix seconds.");
        }

        return until > DateTimeOffset.UtcNow ? until : throw new ArgumentException($"--until {until:u} is not in the future.");
    }

    // One line for what the parser refused. "Required command was not provided." alone hides the word typed, so an
    // unplaced token where a command belongs is named with the commands there are.
    private static string ParseProblem(ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        if (command.Subcommands.Count > 0)
        {
            string commands = string.Join(", ", command.Subcommands.Select(c => c.Name));
            return parsed.UnmatchedTokens.Count > 0
                ? $"unknown command '{parsed.UnmatchedTokens[0]}'; the commands are: {commands}."
                : $"a command is required; the commands are: {commands}.";
        }

        return string.Join(" ", parsed.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal));
    }

    private static Task<int> Run(ParseResult parse, TextWriter error, Option<string> configOption, Option<string?> providerOption, Func<StreamProviders, Task> body) =>
        Run(parse, error, configOption, providerOption, static () => true, (providers, _) => body(providers));

    // prepare reads the command's own arguments (bad ones exit 2) before the configuration is read.
    private static async Task<int> Run<T>(ParseResult parse, TextWriter error, Option<string> configOption, Option<string?> providerOption, Func<T> prepare, Func<StreamProviders, T, Task> body)
    {
        try
        {
            T input = prepare();
            IConfigurationSection section = LoadSection(parse.GetValue(configOption)!);
            if (parse.GetValue(providerOption) is { } selected)
            {
                section[nameof(LiveCloudOptions.Provider)] = selected;
            }

            var services = new ServiceCollection();
            AddProviders(services.AddLiveCloud(section));
            await using ServiceProvider sp = services.BuildServiceProvider();
            sp.GetRequiredService<IStartupValidator>().Validate();
            await body(sp.GetRequiredService<StreamProviders>(), input);
            return 0;
        }
        catch (Exception ex) when (BadInput(ex) is { } message)
        {
            await WriteError(error, message);
            return 2;
        }
        catch (LiveCloudException ex)
        {
            await WriteError(error, ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug, not a user's mistake: still one line, never a stack trace.
            await WriteError(error, $"unexpected {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    // The message of an exception that means bad input (exit 2), or null. Start-up validation of several sections
    // throws an AggregateException of OptionsValidationExceptions: every failure is listed.
    private static string? BadInput(Exception ex) => ex switch
    {
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        AggregateException aggregate when aggregate.InnerExceptions.Select(BadInput).ToList() is var inner && inner.All(m => m is not null) => string.Join(" ", inner),
        ArgumentException or LiveCloudConfigurationException or FormatException or NotSupportedException => ex.Message,
        _ => null,
    };

    private static Task WriteError(TextWriter error, string message) => error.WriteLineAsync("error: " + message.ReplaceLineEndings(" "));

    // The LiveCloud section of the config file; every way the file can be unusable is an ArgumentException naming it.
    private static IConfigurationSection LoadSection(string path)
    {
        FileInfo file;
        try
        {
            file = new FileInfo(path);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--config '{path}' is not a file path: {ex.Message}", ex);
        }

        if (!file.Exists)
        {
            throw new ArgumentException($"config file '{file.FullName}' does not exist.");
        }

        try
        {
            return new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false).Build().GetSection(LiveCloudOptions.SectionName);
        }
        catch (InvalidDataException ex) when (FindJsonError(ex) is { LineNumber: long line, BytePositionInLine: long bytes } json)
        {
            throw new ArgumentException($"config file '{file.FullName}' is not valid JSON: line {line + 1}, position {Column(file, line, bytes)}: {Reason(json)}", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"config file '{file.FullName}' cannot be read: {Innermost(ex).Message}", ex);
        }
    }

    private static JsonException? FindJsonError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    // The parser's message without the position it appends (given above, 1-based, in characters).
    private static string Reason(JsonException json)
    {
        string message = json.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        int path = message.IndexOf(" Path:", StringComparison.Ordinal);
        cut = cut < 0 ? path : path < 0 ? cut : Math.Min(cut, path);
        return cut < 0 ? message : message[..cut];
    }

    // The 1-based character column of a byte offset in a 0-based line (JSON reports bytes; editors count characters).
    private static long Column(FileInfo file, long line, long bytes)
    {
        try
        {
            byte[] content = File.ReadAllBytes(file.FullName);
            int start = 0;
            for (long l = 0; l < line; l++)
            {
                start = Array.IndexOf(content, (byte)'\n', start) + 1;
                if (start == 0)
                {
                    return bytes + 1;
                }
            }

            // The reader skips a byte order mark without counting it.
            start += start == 0 && content.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            return System.Text.Encoding.UTF8.GetCharCount(content, start, (int)Math.Min(bytes, content.Length - start)) + 1;
        }
        catch (IOException)
        {
            return bytes + 1;
        }
    }

    private static async Task UrlsAsync(StreamProviders providers, ParseResult parse, TextWriter output, Option<string> app, Option<string> stream, Option<long> expires, Option<bool> json)
    {
        IStreamProvider p = providers.Default;
        var id = new StreamId(parse.GetValue(app)!, parse.GetValue(stream)!);
        long seconds = parse.GetValue(expires);
        if (seconds is < UnixSecondsMin or > UnixSecondsMax)
        {
            throw new ArgumentException($"--expires {seconds} is not a Unix time in seconds from {UnixSecondsMin} to {UnixSecondsMax}.");
        }

        DateTimeOffset expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var push = p.Capabilities.PushProtocols.Select(protocol => p.CreatePushUrl(id, expiresAt, protocol)).ToList();
        PlayUrlSet? play = p.Capabilities.Supports(ProviderFeatures.PlayUrls) ? p.CreatePlayUrls(id, expiresAt) : null;
        if (parse.GetValue(json))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(
                new
                {
                    provider = p.Name.ToLowerInvariant(),
                    push = push.Select(u => new { protocol = u.Protocol.ToShortName(), url = u.Url }),
                    play = (play?.Urls ?? []).Select(u => new { protocol = u.Protocol.ToShortName(), url = u.Url }),
                },
                Json));
            return;
        }

        await output.WriteLineAsync($"{p.Name} · {id} · expires {expiresAt:u}");
        foreach (PushUrl u in push)
        {
            await output.WriteLineAsync($"push {u.Protocol.ToShortName(),-7} {u.Url}");
            if (u.Server is not null)
            {
                await output.WriteLineAsync($"     OBS server  {u.Server}");
                await output.WriteLineAsync($"     stream key  {u.StreamKey}");
            }
        }

        foreach (PlayUrl u in play?.Urls ?? [])
        {
            await output.WriteLineAsync($"play {u.Protocol.ToShortName(),-7} {u.Url}");
        }
    }

    private static async Task DomainsAsync(IStreamProvider p, TextWriter output, bool json, CancellationToken token)
    {
        var statuses = new List<DomainStatus>();
        await foreach (LiveDomain domain in p.ListDomainsAsync(token))
        {
            statuses.Add(await p.GetDomainStatusAsync(domain.Name, token));
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { provider = p.Name.ToLowerInvariant(), domains = statuses }, Json));
            return;
        }

        foreach (DomainStatus s in statuses)
        {
            string cname = s.Cname is null ? "no CNAME expected" : $"{s.Cname.Verdict} (expects {s.Cname.Expected}{(s.Cname.Reason is null ? "" : "; " + s.Cname.Reason)})";
            await output.WriteLineAsync($"{s.Domain.Name,-32} {s.Domain.Kind,-4} {(s.Domain.IsEnabled ? "enabled" : "disabled"),-8} {cname}");
        }
    }

    private static async Task StreamsAsync(IStreamProvider p, TextWriter output, bool json, CancellationToken token)
    {
        var streams = new List<StreamState>();
        await foreach (StreamState s in p.ListOnlineStreamsAsync(token))
        {
            streams.Add(s);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { provider = p.Name.ToLowerInvariant(), streams = streams.Select(s => new { stream = s.Stream.ToString(), status = s.Status.ToString().ToLowerInvariant(), s.PublishedAt, s.BitrateKbps, s.Viewers }) }, Json));
            return;
        }

        await output.WriteLineAsync(streams.Count == 0 ? "no stream is live" : $"{streams.Count} live:");
        foreach (StreamState s in streams)
        {
            await output.WriteLineAsync($"{s.Stream,-32} {s.Status,-9} {s.BitrateKbps?.ToString(CultureInfo.InvariantCulture) ?? "-",6} kbps  {s.Viewers?.ToString(CultureInfo.InvariantCulture) ?? "-"} viewers");
        }
    }

    private static async Task RecordingsAsync(IStreamProvider p, StreamId id, TextWriter output, bool json, CancellationToken token)
    {
        var files = new List<RecordedFile>();
        await foreach (RecordedFile f in p.ListRecordingsAsync(id, null, null, token))
        {
            files.Add(f);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { provider = p.Name.ToLowerInvariant(), recordings = files.Select(f => new { url = f.PlaybackUrl, f.StartTime, durationSeconds = f.Duration.TotalSeconds, f.SizeBytes, f.Format }) }, Json));
            return;
        }

        await output.WriteLineAsync(files.Count == 0 ? $"no recordings of {id}" : $"{files.Count} recordings of {id}:");
        foreach (RecordedFile f in files)
        {
            await output.WriteLineAsync($"{f.StartTime:u}  {f.Duration.TotalSeconds,7:0.0} s  {f.SizeBytes,10} B  {f.PlaybackUrl}");
        }
    }

    // The decision after as many rounds of checks as mark a member down, so that a member that does not answer is down.
    private static async Task RouteAsync(StreamProviders providers, TextWriter output, string streamText, string? region, bool json, CancellationToken token)
    {
        IStreamProvider selected = providers.Default;
        MultiCloud.MultiCloudStreamProvider show = selected.GetService<MultiCloud.MultiCloudStreamProvider>()
            ?? throw new ArgumentException($"--provider '{selected.Name}' is not a multi-cloud provider; route needs a section with \"Type\": \"MultiCloud\" (configured: {string.Join(", ", providers.Names)}).");
        StreamId stream = StreamId.Parse(streamText);
        if (region is not null && !StreamId.IsValidPart(region))
        {
            throw new ArgumentException($"--region '{region}' may hold only letters, digits, '_', '-', '.' and '='.");
        }

        for (int round = 0; round < show.Options.Health.FailuresToMarkDown; round++)
        {
            await show.CheckHealthAsync(token);
        }

        MultiCloud.RoutingDecision play = show.RoutePlay(stream, region);
        MultiCloud.RoutingDecision push = show.RoutePush(stream);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(
                new
                {
                    provider = show.Name.ToLowerInvariant(),
                    stream = stream.ToString(),
                    region,
                    routing = show.Options.Routing.ToString().ToLowerInvariant(),
                    play = new { provider = play.Provider, reason = play.Reason },
                    push = new { provider = push.Provider, reason = push.Reason },
                    candidates = play.Candidates.Select(c => new { provider = c.Provider, up = c.IsUp, holdsStream = c.HoldsStream, pricePerGB = c.PricePerGB, currency = c.Currency, priceNote = c.PriceNote }),
                },
                Json));
            return;
        }

        await output.WriteLineAsync($"{show.Name} · {stream} · region {region ?? "(default)"} · routing {show.Options.Routing}");
        await output.WriteLineAsync($"play → {play.Provider}: {play.Reason}");
        await output.WriteLineAsync($"push → {push.Provider}: {push.Reason}");
        foreach (MultiCloud.RouteCandidate c in play.Candidates)
        {
            string price = c.PricePerGB is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:0.####} {c.Currency}/GB") : c.PriceNote ?? "-";
            string health = show.Health.Get(c.Provider) is { IsUp: false, LastFailure: { } why } ? "down (" + why + ")" : c.IsUp ? "up" : "down";
            await output.WriteLineAsync($"  {c.Provider,-12} {health,-6} {(c.HoldsStream ? "live" : "-"),-5} {price}");
        }
    }

    private static async Task CostAsync(StreamProviders providers, ParseResult parse, TextWriter output, Option<int> viewers, Option<double> bitrate, Option<double> hours, Option<bool> json)
    {
        var profile = new UsageProfile { PeakViewers = parse.GetValue(viewers), BitrateKbps = parse.GetValue(bitrate), HoursPerDay = parse.GetValue(hours) };
        CostComparisonResult comparison = new CostComparison(providers).Compare(profile);
        if (comparison.Estimates.Count == 0)
        {
            string why = comparison.Failures.Count == 0 ? "no configured provider has a price table" : string.Join("; ", comparison.Failures.Select(f => $"{f.Provider}: {f.Reason}"));
            throw new LiveCloudConfigurationException(why + ".");
        }

        // Cheapest first within each currency; currencies are never ranked against each other.
        IReadOnlyList<CostEstimate> estimates = comparison.Estimates;
        if (parse.GetValue(json))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { estimates = estimates.Select(e => new { provider = e.Provider.ToLowerInvariant(), total = e.Total, currency = e.Currency, billingMode = e.BillingMode }) }, Json));
            return;
        }

        await output.WriteLineAsync($"{profile.PeakViewers} viewers × {profile.HoursPerDay} h at {profile.BitrateKbps} kbps:");
        foreach (CostEstimate e in estimates)
        {
            await output.WriteLineAsync($"  {e.Provider,-8} {e.Total,10:0.00} {e.Currency}  ({e.BillingMode}; prices as of {e.PriceTableAsOf:yyyy-MM-dd}, {e.PriceTableSource})");
        }

        foreach (ProviderCostFailure failure in comparison.Failures)
        {
            await output.WriteLineAsync($"  {failure.Provider,-8} not priced: {failure.Reason}");
        }
    }
}
