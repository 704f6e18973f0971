using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LiveCloud.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveCloud.AspNetCore.Tests;

/// <summary>A provider that keeps every event it parses, and forgets it when told the application refused it.</summary>
internal sealed class KeepingProvider() : StreamProviderBase("Keeping", null), ICallbackRefusalHandler
{
    public ConcurrentDictionary<string, StreamEvent> Kept { get; } = new();

    public ConcurrentQueue<string> Forgotten { get; } = new();

    public override ProviderCapabilities Capabilities { get; } = new(ProviderFeatures.Callbacks, [], []);

    public ValueTask OnRefusedAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        Kept.TryRemove(streamEvent.EventId, out _);
        Forgotten.Enqueue(streamEvent.EventId);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> fields = request.Method == "GET" ? request.Query : request.ReadForm();
        if (!request.Query.TryGetValue("token", out string? token) || token != "s3cret-token")
        {
            throw new CallbackVerificationException("bad token");
        }

        var e = new StreamEvent(Name, StreamEventKind.Published, new StreamId("live", fields["name"]), DateTimeOffset.UnixEpoch, "keeping:" + fields["name"]);
        Kept[e.EventId] = e;
        return ValueTask.FromResult(e);
    }
}

internal sealed class DecidingObserver : IStreamEventObserver
{
    public ValueTask<StreamEventDecision> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken) =>
        ValueTask.FromResult(streamEvent.Stream.Name switch
        {
            "refused" => StreamEventDecision.Refuse,
            "unknown" => StreamEventDecision.UnknownStream,
            _ => StreamEventDecision.Accept,
        });
}

internal sealed class ListLogger : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ListLogger sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}

/// <summary>
/// The endpoint against hostile input (issue 14): a body that cannot be read is a 400 logged at Debug, never an error;
/// a refused event is forgotten by the provider that kept it; callback query strings are redacted before ASP.NET Core
/// logs the request.
/// </summary>
public sealed class HostileCallbackTests
{
    private const string Token = "s3cret-token";

    private static async Task<(WebApplication App, HttpClient Http, KeepingProvider Provider, ListLogger Logs)> StartAsync(bool redact, bool exceptionHandler = false, bool httpLogging = false, Dictionary<string, string?>? settings = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        var logs = new ListLogger();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LiveCloud:Provider"] = "Keeping" }).Build();
        var provider = new KeepingProvider();
        builder.Services.AddLiveCloud(config.GetSection("LiveCloud")).AddProvider<KeepingProvider, TokenOptions>("Keeping", _ => provider, static _ => { });
        builder.Services.AddSingleton<IStreamEventObserver, DecidingObserver>();
        if (redact)
        {
            builder.Services.Configure<LiveCloudCallbackOptions>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build().GetSection(LiveCloudCallbackOptions.SectionName));
            builder.Services.AddLiveCloudCallbacks();
        }

        if (exceptionHandler)
        {
            builder.Services.AddProblemDetails();
        }

        if (httpLogging)
        {
            builder.Services.AddHttpLogging(o => o.LoggingFields = HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.RequestQuery);
        }

        WebApplication app = builder.Build();
        if (exceptionHandler)
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => 500 });
        }

        if (httpLogging)
        {
            app.UseHttpLogging();
        }

        app.MapLiveCloudCallbacks();
        app.MapGet("/other", () => "ok");
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) }, provider, logs);
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string name, string query = "token=" + Token) =>
        http.PostAsync($"/api/callbacks/keeping?{query}", new StringContent("name=" + name, Encoding.UTF8, "application/x-www-form-urlencoded"));

    [Fact]
    public async Task A_refused_or_unknown_streams_event_is_forgotten_by_the_provider_an_accepted_one_is_kept()
    {
        (WebApplication app, HttpClient http, KeepingProvider provider, _) = await StartAsync(redact: true);
        await using (app)
        using (http)
        {
            (await Post(http, "refused")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await Post(http, "unknown")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await Post(http, "room1")).StatusCode.Should().Be(HttpStatusCode.NoContent);

            provider.Kept.Keys.Should().Equal("keeping:room1");
            provider.Forgotten.Should().Equal("keeping:refused", "keeping:unknown");
        }
    }

    [Theory]
    [InlineData("zz", false)]
    [InlineData("fffffffffffffffffffff", false)]
    [InlineData("zz", true)]
    [InlineData("fffffffffffffffffffff", true)]
    public async Task A_body_with_bad_chunked_framing_is_a_400_logged_at_Debug_never_at_Error(string chunkSize, bool exceptionHandler)
    {
        (WebApplication app, HttpClient http, _, ListLogger logs) = await StartAsync(redact: true, exceptionHandler);
        await using (app)
        using (http)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, http.BaseAddress!.Port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/callbacks/keeping?token={Token} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{chunkSize}\r\nabc\r\n0\r\n\r\n"));
            byte[] buffer = new byte[4096];
            int read = await stream.ReadAsync(buffer);
            Encoding.ASCII.GetString(buffer, 0, read).Should().StartWith("HTTP/1.1 400 ");
            await Task.Delay(200); // a log written after the answer would still be seen

            logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning && e.Exception != null, "a client's framing mistake is no server error");
            logs.Entries.Should().Contain(e => e.Level == LogLevel.Debug && e.Category == "LiveCloud.Callbacks" && e.Message.Contains("could not be read", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_AddLiveCloudCallbacks_hosting_and_http_logging_see_the_query_redacted_and_the_endpoint_the_real_one()
    {
        (WebApplication app, HttpClient http, KeepingProvider provider, ListLogger logs) = await StartAsync(redact: true, httpLogging: true);
        await using (app)
        using (http)
        {
            (await Post(http, "room1", $"token={Token}&x=1&token2={Token}")).StatusCode.Should().Be(HttpStatusCode.NoContent, "the endpoint verifies the token as it was sent");
            provider.Kept.Should().ContainKey("keeping:room1");
            using (HttpResponseMessage other = await http.GetAsync($"/other?visible=yes"))
            {
                other.StatusCode.Should().Be(HttpStatusCode.OK);
            }

            await Task.Delay(200);
            string all = string.Join("\n", logs.Entries.Select(e => e.Message));
            all.Should().NotContain(Token);
            logs.Entries.Should().Contain(e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && e.Message.Contains("/api/callbacks/keeping?token=***&x=***&token2=***", StringComparison.Ordinal));
            logs.Entries.Should().Contain(e => e.Category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal) && e.Message.Contains("?token=***", StringComparison.Ordinal));
            all.Should().Contain("/other?visible=yes", "other routes are left alone");
        }
    }

    [Fact]
    public async Task Without_AddLiveCloudCallbacks_mapping_warns_that_callback_queries_reach_the_logs()
    {
        (WebApplication app, HttpClient http, _, ListLogger logs) = await StartAsync(redact: false);
        await using (app)
        using (http)
        {
            logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("AddLiveCloudCallbacks()", StringComparison.Ordinal));
            (await Post(http, "room1")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public async Task A_provider_with_allowed_sources_takes_callbacks_only_from_them_and_never_reads_the_others()
    {
        (WebApplication app, HttpClient http, KeepingProvider provider, ListLogger logs) = await StartAsync(redact: true, settings: new()
        {
            ["LiveCloud:Callbacks:AllowedSources:keeping:0"] = "203.0.113.0/24",
            ["LiveCloud:Callbacks:AllowedSources:keeping:1"] = "10.1.2.3",
        });
        await using (app)
        using (http)
        {
            (await Post(http, "room1")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "127.0.0.1 is not in the list");
            provider.Kept.Should().BeEmpty("the body is not even parsed");
            logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("not in LiveCloud:Callbacks:AllowedSources:Keeping", StringComparison.Ordinal));
        }

        (app, http, provider, _) = await StartAsync(redact: true, settings: new() { ["LiveCloud:Callbacks:AllowedSources:Keeping:0"] = "127.0.0.0/8", ["LiveCloud:Callbacks:AllowedSources:Other:0"] = "::1" });
        await using (app)
        using (http)
        {
            (await Post(http, "room1")).StatusCode.Should().Be(HttpStatusCode.NoContent);
            provider.Kept.Should().ContainKey("keeping:room1");
        }
    }

    [Fact]
    public async Task An_allowed_source_that_is_no_address_fails_start_up_naming_the_key_and_value()
    {
        Func<Task> start = () => StartAsync(redact: true, settings: new() { ["LiveCloud:Callbacks:AllowedSources:Keeping:0"] = "203.0.113.0/99", ["LiveCloud:Callbacks:AllowedSources:Keeping:1"] = "vendor.example" });
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Failures.Should().BeEquivalentTo(
            [
                "LiveCloud:Callbacks:AllowedSources:Keeping holds '203.0.113.0/99', which is neither an IP address nor a CIDR range such as 203.0.113.0/24.",
                "LiveCloud:Callbacks:AllowedSources:Keeping holds 'vendor.example', which is neither an IP address nor a CIDR range such as 203.0.113.0/24.",
            ]);
    }
}
