using System.Net;
using LiveCloud.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Nginx.Tests;

/// <summary>The nginx API client on the shared pipeline (against a loopback HTTP server), and the provider over a test double.</summary>
public sealed class NginxApiClientTests
{
    private static readonly StreamId Demo = new("live", "demo");

    private static VendorResilienceOptions Fast(int retries = 2) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        TotalTimeout = TimeSpan.FromSeconds(10),
    };

    private static NginxApiClient Client(LoopbackServer server, string provider = "Nginx", VendorResilienceOptions? resilience = null) =>
        new(TestOptions.Create(), new VendorHttpPipeline(provider, new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan }, resilience ?? Fast(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System));

    private static RequestDelegate Answer(int status, string? body = null, string contentType = "text/plain", string? retryAfter = null) => async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (body is not null)
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        }
    };

    [Fact]
    public async Task Not_found_status_is_a_not_found_exception_with_the_status_as_code()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Answer(404, "<html><body>404 Not Found</body></html>", "text/html"));
        Func<Task> drop = () => Client(server, "edge-1").DropPublisherAsync(Demo);
        LiveCloudNotFoundException ex = (await drop.Should().ThrowAsync<LiveCloudNotFoundException>()).Which;
        ex.ErrorCode.Should().Be("404");
        ex.Status.Should().Be(HttpStatusCode.NotFound);
        ex.Provider.Should().Be("edge-1", "errors carry the registered name");
        ex.Message.Should().NotContain("<html>");
    }

    [Fact]
    public async Task Throttling_is_a_throttled_exception_with_the_retry_after()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Answer(429, retryAfter: "7"));
        Func<Task> stat = () => Client(server, resilience: Fast(retries: 0)).GetStatAsync();
        LiveCloudThrottledException ex = (await stat.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        ex.ErrorCode.Should().Be("429");
        ex.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
        ex.IsTransient.Should().BeTrue();
    }

    [Theory]
    [InlineData(401, typeof(LiveCloudAuthenticationException))]
    [InlineData(403, typeof(LiveCloudAuthenticationException))]
    [InlineData(400, typeof(LiveCloudException))]
    public async Task Other_statuses_are_typed_by_the_status(int status, Type expected)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Answer(status, "Live stream not found"));
        Func<Task> stop = () => Client(server).StopRecordAsync(Demo);
        LiveCloudException ex = (await stop.Should().ThrowAsync<LiveCloudException>()).Which;
        ex.Should().BeOfType(expected);
        ex.ErrorCode.Should().Be(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ex.Message.Should().Contain("Live stream not found", "rtmp_control's one-line reason is kept");
        ex.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Server_faults_are_retried_for_reads_and_idempotent_writes_but_never_for_starting_a_recording()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Answer(503));
        NginxApiClient client = Client(server);

        Func<Task> stat = () => client.GetStatAsync();
        (await stat.Should().ThrowAsync<LiveCloudException>()).Which.IsTransient.Should().BeTrue();
        server.Requests.Should().HaveCount(3, "/stat is a read: the first attempt and two retries");

        server.Requests.Clear();
        Func<Task> drop = () => client.DropPublisherAsync(Demo);
        await drop.Should().ThrowAsync<LiveCloudException>();
        server.Requests.Should().HaveCount(3, "dropping an absent publisher answers 0, so the drop may be repeated");

        server.Requests.Clear();
        Func<Task> start = () => client.StartRecordAsync(Demo);
        await start.Should().ThrowAsync<LiveCloudException>();
        server.Requests.Should().ContainSingle("a repeated start could open a second file")
            .Which.PathAndQuery.Should().Be("/control/record/start?app=live&name=demo&rec=rec1");
    }

    [Fact]
    public async Task Control_answers_are_read_and_stat_xml_that_does_not_parse_is_an_unexpected_shape()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/control/drop/publisher" => Answer(200, "1")(context),
            "/control/record/start" => Answer(200, "/tmp/rec/demo-1795000000.flv")(context),
            _ => Answer(200, "<rtmp><server>", "text/xml")(context),
        });
        NginxApiClient client = Client(server);
        (await client.DropPublisherAsync(Demo)).Should().Be(1);
        (await client.StartRecordAsync(Demo)).Should().Be("/tmp/rec/demo-1795000000.flv");
        Func<Task> stat = () => client.GetStatAsync();
        (await stat.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("shape").And.Contain("/stat");
    }

    [Fact]
    public async Task Request_timeout_is_the_attempt_timeout()
    {
        var options = new NginxOptions { RequestTimeout = TimeSpan.FromSeconds(3) };
        options.Resilience.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(3));
        options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(4);
        options.RequestTimeout.Should().Be(TimeSpan.FromSeconds(4));

        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RequestTimeout"] = "00:00:05",
        }).Build();
        config.Get<NginxOptions>()!.Resilience.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(5));

        IConfiguration both = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RequestTimeout"] = "00:00:05",
            ["Resilience:AttemptTimeout"] = "00:00:06",
        }).Build();
        both.Get<NginxOptions>()!.RequestTimeout.Should().Be(TimeSpan.FromSeconds(6), "the resilience key wins, as documented");

        NginxOptions slow = TestOptions.Create(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(300); o.Resilience.MaxRetryAttempts = 0; });
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        var client = new NginxApiClient(slow, TestOptions.Pipeline(server.BaseAddress, slow.Resilience));
        Func<Task> stat = () => client.GetStatAsync();
        (await stat.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("timed out after 0.3 s");
    }

    [Fact]
    public async Task Provider_over_a_test_double_client_needs_no_nginx()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        var provider = new NginxStreamProvider(TestOptions.Create(), new FakeStat(clock), null, null);

        provider.Name.Should().Be("Nginx");
        StreamState state = await provider.GetStreamStateAsync(Demo);
        state.Status.Should().Be(StreamStatus.Active);
        state.Viewers.Should().Be(5);
        (await provider.ListOnlineStreamsAsync().ToListAsync()).Should().ContainSingle().Which.Stream.Should().Be(Demo);
        (await provider.GetStreamStateAsync(new StreamId("live", "idle"))).Status.Should().Be(StreamStatus.Inactive);
        provider.Client.Should().BeOfType<FakeStat>();
    }

    private sealed class FakeStat(TimeProvider clock) : NginxApiClient(clock)
    {
        public override Task<IReadOnlyList<StreamState>> GetStatAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<StreamState>>([new StreamState(Demo, StreamStatus.Active, null, 900, 5)]);
    }
}
