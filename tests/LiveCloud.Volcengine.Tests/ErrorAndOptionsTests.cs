using System.Net;
using System.Text;
using LiveCloud.Http;
using LiveCloud.Testing.Emulators.Volcengine;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Volcengine.Tests;

/// <summary>The error envelope read by <c>ReadError</c>, options validation, secrets kept out of text and logs, DI, test doubles.</summary>
public sealed class ErrorAndOptionsTests
{
    private static readonly StreamId Room = new("live", "room_1001");

    /// <summary>Answers every request with one canned response.</summary>
    private sealed class Canned(HttpStatusCode status, string body, params (string Name, string Value)[] headers) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach ((string name, string value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return Task.FromResult(response);
        }
    }

    // A second account under its own name: errors carry that name.
    private static VolcengineStreamProvider Over(Canned handler, int retries = 0)
    {
        VolcengineOptions options = VolcengineTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        options.Resilience = VolcengineTestSetup.Fast(retries);
        var pipeline = new VendorHttpPipeline("volc-backup", new HttpClient(handler) { BaseAddress = options.Endpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return new VolcengineStreamProvider(options, pipeline, new FakeTimeProvider(VolcengineTestSetup.Now), new FakeCnameVerifier());
    }

    private static string Envelope(string code, long? codeN = null, string requestId = "REQ-1")
    {
        var error = new System.Text.Json.Nodes.JsonObject { ["Code"] = code, ["Message"] = "Injected " + code };
        if (codeN is { } n)
        {
            error["CodeN"] = n;
        }

        return new System.Text.Json.Nodes.JsonObject
        {
            ["ResponseMetadata"] = new System.Text.Json.Nodes.JsonObject { ["RequestId"] = requestId, ["Action"] = "DescribeLiveStreamState", ["Version"] = "2023-01-01", ["Error"] = error },
        }.ToJsonString();
    }

    [Fact]
    public async Task An_error_inside_http_200_is_an_error_and_commonerr_is_transient()
    {
        var handler = new Canned(HttpStatusCode.OK, Envelope("CommonErr"));
        Func<Task> call = () => Over(handler, retries: 2).GetStreamStateAsync(Room);
        LiveCloudException e = (await call.Should().ThrowAsync<LiveCloudException>()).Which;
        e.ErrorCode.Should().Be("CommonErr");
        e.IsTransient.Should().BeTrue();
        e.Status.Should().Be(HttpStatusCode.OK);
        e.RequestId.Should().Be("REQ-1");
        e.Provider.Should().Be("volc-backup", "errors carry the registered provider name");
        e.Message.Should().Contain("DescribeLiveStreamState").And.Contain("Injected CommonErr");
        handler.Calls.Should().Be(3, "a read is retried on a transient error");
    }

    [Fact]
    public async Task Throttling_authentication_not_found_and_plain_failures_get_their_types()
    {
        Func<Task> flow = () => Over(new Canned(HttpStatusCode.TooManyRequests, Envelope("FlowLimitExceeded", 100018), ("Retry-After", "2"))).GetStreamStateAsync(Room);
        LiveCloudThrottledException throttled = (await flow.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        throttled.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        throttled.IsTransient.Should().BeTrue();

        Func<Task> codeNOnly = () => Over(new Canned(HttpStatusCode.BadRequest, Envelope("SomethingElse", 100018))).GetStreamStateAsync(Room);
        await codeNOnly.Should().ThrowAsync<LiveCloudThrottledException>("CodeN 100018 is the throttling number");

        Func<Task> signature = () => Over(new Canned(HttpStatusCode.Unauthorized, Envelope("SignatureDoesNotMatch", 100010))).ListDomainsAsync().ToListAsync().AsTask();
        (await signature.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("SignatureDoesNotMatch");
        Func<Task> forbidden = () => Over(new Canned(HttpStatusCode.Forbidden, Envelope("RequestForbidden.AccountIDNotAllow"))).ListDomainsAsync().ToListAsync().AsTask();
        await forbidden.Should().ThrowAsync<LiveCloudAuthenticationException>();

        Func<Task> notFound = () => Over(new Canned(HttpStatusCode.BadRequest, Envelope("StreamNotFound"))).GetStreamStateAsync(Room);
        await notFound.Should().ThrowAsync<LiveCloudNotFoundException>();

        // A wrong action is HTTP 404 but a plain failure: nothing was missing, the call was wrong.
        Func<Task> action = () => Over(new Canned(HttpStatusCode.NotFound, Envelope("InvalidActionOrVersion", 100008))).GetStreamStateAsync(Room);
        LiveCloudException wrong = (await action.Should().ThrowAsync<LiveCloudException>()).Which;
        wrong.Should().NotBeOfType<LiveCloudNotFoundException>();
        wrong.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task A_gateway_page_and_an_answer_without_metadata_are_errors_too()
    {
        var gateway = new Canned(HttpStatusCode.BadGateway, "<html>bad gateway</html>");
        Func<Task> page = () => Over(gateway, retries: 1).GetStreamStateAsync(Room);
        LiveCloudException e = (await page.Should().ThrowAsync<LiveCloudException>()).Which;
        e.IsTransient.Should().BeTrue();
        e.Status.Should().Be(HttpStatusCode.BadGateway);
        gateway.Calls.Should().Be(2);

        Func<Task> bare = () => Over(new Canned(HttpStatusCode.OK, """{"Result":{"stream_state":"online"}}""")).GetStreamStateAsync(Room);
        (await bare.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("no ResponseMetadata");

        Func<Task> odd = () => Over(new Canned(HttpStatusCode.OK, """{"ResponseMetadata":{"RequestId":"R"},"Result":{"stream_state":"paused"}}""")).GetStreamStateAsync(Room);
        (await odd.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("'paused'");

        Func<Task> shapeless = () => Over(new Canned(HttpStatusCode.OK, """{"ResponseMetadata":{"RequestId":"R"},"Result":{}}""")).GetStreamStateAsync(Room);
        (await shapeless.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("shape");
    }

    /// <summary>Overrides one operation; everything else would need a pipeline.</summary>
    private sealed class OneState() : VolcengineApiClient(new FakeTimeProvider(VolcengineTestSetup.Now))
    {
        public override string ProviderName => "volc-double";

        public override Task<string> DescribeLiveStreamStateAsync(string domain, string app, string stream, CancellationToken cancellationToken = default) =>
            Task.FromResult("forbidden");
    }

    [Fact]
    public async Task The_provider_runs_over_a_test_double_and_hands_out_its_parts()
    {
        var client = new OneState();
        var provider = new VolcengineStreamProvider(VolcengineTestSetup.Options(new Uri("http://127.0.0.1:9/")), client, null);
        provider.Name.Should().Be("volc-double");
        (await provider.GetStreamStateAsync(Room)).Status.Should().Be(StreamStatus.Forbidden);
        provider.GetService(typeof(VolcengineApiClient)).Should().BeSameAs(client);
        provider.GetService(typeof(VolcengineUrlSigner)).Should().BeSameAs(provider.UrlSigner);
        provider.GetService(typeof(VolcengineCallbackVerifier)).Should().NotBeNull();
        provider.GetService(typeof(VolcengineOptions)).Should().BeSameAs(provider.Options);

        Func<Task> notOverridden = () => provider.ListDomainsAsync().ToListAsync().AsTask();
        (await notOverridden.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("test double");
    }

    [Fact]
    public void Bad_options_are_refused_with_one_message_per_key_naming_the_full_key()
    {
        var options = new VolcengineOptions
        {
            PushDomain = "rtmp://push.example.com",
            PushKey = "has-dash",
            PlayDomain = "play.example.com",
            AppName = "a=b",
            Region = "CN North",
            PushSecretParameter = "volcTime",
            FlvPathSuffix = "flv",
            HlsPathSuffix = "/../x.m3u8",
            CallbackClockSkew = TimeSpan.FromHours(1),
            Vhost = "bad vhost",
        };
        Action create = () => _ = new VolcengineStreamProvider(options, new OneState(), null);
        string message = create.Should().Throw<LiveCloudConfigurationException>().Which.Message;
        message.Should().Contain("LiveCloud:volc-double:AccessKeyId is required.")
            .And.Contain("LiveCloud:volc-double:SecretAccessKey is required.")
            .And.Contain("LiveCloud:volc-double:PushDomain is not a host name")
            .And.Contain("LiveCloud:volc-double:PushKey must be 1 to 100 letters and digits")
            .And.Contain("LiveCloud:volc-double:PlayKey is required.")
            .And.Contain("LiveCloud:volc-double:AppName must be 1 to 30")
            .And.Contain("LiveCloud:volc-double:Region 'CN North'")
            .And.Contain("LiveCloud:volc-double:PushSecretParameter must differ from LiveCloud:volc-double:PushTimeParameter")
            .And.Contain("LiveCloud:volc-double:FlvPathSuffix must start with '.' or '/'")
            .And.Contain("LiveCloud:volc-double:HlsPathSuffix")
            .And.Contain("LiveCloud:volc-double:CallbackClockSkew must be from")
            .And.Contain("LiveCloud:volc-double:Vhost must be a domain space name");
        message.Should().NotContain("has-dash", "a key's value is never repeated");
    }

    [Fact]
    public void Secrets_never_reach_to_string()
    {
        VolcengineOptions options = VolcengineTestSetup.Options(new Uri("https://live.volcengineapi.com/"));
        options.SessionToken = "STS-TOKEN-VALUE";
        string text = options.ToString();
        text.Should().Contain("AccessKeyId = AKLTEXAMPLEAKID").And.Contain("PushDomain = push.example.com");
        foreach (string secret in new[] { VolcengineLiveEmulator.SecretAccessKey, "STS-TOKEN-VALUE", VolcengineTestSetup.PushKey, VolcengineTestSetup.PlayKey, VolcengineTestSetup.CallbackKey })
        {
            text.Should().NotContain(secret);
        }

        var provider = new VolcengineStreamProvider(options, new OneState(), null);
        provider.ToString().Should().NotContain(VolcengineTestSetup.PushKey);
        provider.UrlSigner.ToString().Should().NotContain(VolcengineTestSetup.PushKey).And.NotContain(VolcengineTestSetup.PlayKey);
        new VolcengineApiClient(options, VolcengineTestSetup.Pipeline(options)).ToString().Should().NotContain(VolcengineLiveEmulator.SecretAccessKey);
        new VolcengineRequestSigner("AK", "SECRET-SK", "cn-north-1", "live").ToString().Should().NotContain("SECRET-SK");
        new VolcenginePullToPushTask(VolcengineTestSetup.Now, VolcengineTestSetup.Now.AddHours(1), new Uri("rtmp://o.example.net/live/s?key=TOPSECRET"), "push.example.com", "live", "s").ToString().Should().NotContain("TOPSECRET");
    }

    [Fact]
    public async Task Logs_name_the_action_but_never_secrets_signatures_or_urls()
    {
        var clock = new FakeTimeProvider(VolcengineTestSetup.Now);
        await using VolcengineLiveEmulator emulator = (await VolcengineLiveEmulator.StartAsync(clock)).AddSampleDomains();
        VolcengineOptions options = VolcengineTestSetup.Options(emulator.BaseAddress);
        options.SessionToken = "STS-TOKEN-SECRET";
        emulator.SessionTokens[VolcengineLiveEmulator.AccessKeyId] = "STS-TOKEN-SECRET";
        var logger = new FakeLogger();
        logger.ControlLevel(LogLevel.Trace, true);
        var pipeline = new VendorHttpPipeline("Volcengine", new HttpClient { BaseAddress = options.Endpoint }, options.Resilience, logger, TimeProvider.System);
        var provider = new VolcengineStreamProvider(options, pipeline, clock, new FakeCnameVerifier());

        emulator.Then(VolcengineLiveEmulator.CommonErr);
        await provider.ListDomainsAsync().ToListAsync();
        await provider.StartRecordingAsync(Room);
        emulator.SessionTokens[VolcengineLiveEmulator.AccessKeyId] = "another";
        Func<Task> denied = () => provider.GetStreamStateAsync(Room);
        await denied.Should().ThrowAsync<LiveCloudAuthenticationException>();

        IReadOnlyList<FakeLogRecord> logs = logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("ListDomainDetail") && r.Message.Contains("CommonErr"));
        foreach (FakeLogRecord record in logs)
        {
            string all = record.Message + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []);
            all.Should().NotContain(VolcengineLiveEmulator.SecretAccessKey).And.NotContain("STS-TOKEN-SECRET").And.NotContain("Signature=")
                .And.NotContain("volcSecret").And.NotContain(VolcengineTestSetup.PlayKey).And.NotContain("Action=");
        }
    }

    [Fact]
    public void Di_registers_the_provider_from_configuration_and_validates_it_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Volcengine",
            ["LiveCloud:Volcengine:AccessKeyId"] = "AKLTEXAMPLE",
            ["LiveCloud:Volcengine:SecretAccessKey"] = "SK",
            ["LiveCloud:Volcengine:PushDomain"] = "push.example.com",
            ["LiveCloud:Volcengine:PushKey"] = "PushKey1",
            ["LiveCloud:Volcengine:PlayDomain"] = "play.example.com",
            ["LiveCloud:Volcengine:PlayKey"] = "PlayKey1",
            ["LiveCloud:VolcBackup:Type"] = "Volcengine",
            ["LiveCloud:VolcBackup:AccessKeyId"] = "AKLTEXAMPLE2",
            ["LiveCloud:VolcBackup:PushDomain"] = "push.example.com",
            ["LiveCloud:VolcBackup:PushKey"] = "PushKey1",
            ["LiveCloud:VolcBackup:PlayDomain"] = "play.example.com",
            ["LiveCloud:VolcBackup:PlayKey"] = "PlayKey1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(configuration.GetSection("LiveCloud")).AddVolcengine();
        using ServiceProvider sp = services.BuildServiceProvider();

        Action validate = () => sp.GetRequiredService<IStartupValidator>().Validate();
        validate.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("LiveCloud:VolcBackup:SecretAccessKey is required.");
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Name.Should().Be("Volcengine");
        provider.GetService<VolcengineStreamProvider>()!.Options.PushDomain.Should().Be("push.example.com");
    }
}
