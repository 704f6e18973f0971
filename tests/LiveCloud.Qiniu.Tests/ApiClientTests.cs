using LiveCloud.Testing.Fakes;
using LiveCloud.Testing.Emulators.Qiniu;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LiveCloud.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

/// <summary>The API client on the shared send-and-parse path, its error table, and the provider over a test double.</summary>
public sealed class ApiClientTests
{
    private const string Hub = QiniuEmulator.Hub;

    [Theory]
    [InlineData(573, VendorErrorKind.Throttled)]
    [InlineData(429, VendorErrorKind.Throttled)]
    [InlineData(500, VendorErrorKind.Transient)]
    [InlineData(502, VendorErrorKind.Transient)]
    [InlineData(503, VendorErrorKind.Transient)]
    [InlineData(599, VendorErrorKind.Transient)]
    [InlineData(408, VendorErrorKind.Transient)]
    [InlineData(612, VendorErrorKind.NotFound)]
    [InlineData(404, VendorErrorKind.NotFound)]
    [InlineData(614, VendorErrorKind.Failed)]
    [InlineData(619, VendorErrorKind.Failed)]
    [InlineData(501, VendorErrorKind.Failed)]
    [InlineData(579, VendorErrorKind.Failed)]
    [InlineData(631, VendorErrorKind.Failed)]
    [InlineData(400, VendorErrorKind.Failed)]
    [InlineData(401, VendorErrorKind.Authentication)]
    [InlineData(403, VendorErrorKind.Authentication)]
    [InlineData(419, VendorErrorKind.Authentication)]
    public void Statuses_are_classified(int status, VendorErrorKind kind) => QiniuErrors.Classify((HttpStatusCode)status, null).Should().Be(kind);

    [Theory]
    [InlineData("stream not found")]
    [InlineData("hub not found")]
    [InlineData("no such domain")]
    public void Messages_naming_a_missing_thing_are_not_found_whatever_the_status(string error) =>
        QiniuErrors.Classify(HttpStatusCode.BadRequest, error).Should().Be(VendorErrorKind.NotFound);

    [Fact]
    public async Task Throttling_becomes_the_throttled_exception_with_the_vendor_code_request_id_and_registered_name()
    {
        var handler = new Answer(573, """{"error":"single resource access too frequent"}""", retryAfterSeconds: 2);
        LiveCloudThrottledException ex = (await ((Func<Task>)(() => Client(handler).GetHubAsync(Hub))).Should().ThrowExactlyAsync<LiveCloudThrottledException>()).Which;
        ex.ErrorCode.Should().Be("single resource access too frequent");
        ex.RequestId.Should().Be("req-573");
        ex.Status.Should().Be((HttpStatusCode)573);
        ex.Provider.Should().Be("qiniu-backup");
        ex.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        ex.IsTransient.Should().BeTrue();
        ex.Message.Should().Contain("qiniu-backup GetHub failed: single resource access too frequent").And.Contain("req-573");
        handler.Calls.Should().Be(1, "retries are off in this test");
    }

    [Fact]
    public async Task Each_documented_error_becomes_its_typed_exception()
    {
        LiveCloudException notFound = await Fails(612, """{"error":"stream not found"}""", c => c.GetStreamAsync(Hub, "room_1001"));
        notFound.Should().BeOfType<LiveCloudNotFoundException>();
        notFound.ErrorCode.Should().Be("stream not found");

        LiveCloudException exists = await Fails(614, """{"error":"stream already exists"}""", c => c.CreateStreamAsync(Hub, "room_1001"));
        exists.Should().BeOfType<LiveCloudException>();
        exists.IsTransient.Should().BeFalse();
        exists.Status.Should().Be((HttpStatusCode)614);

        LiveCloudException noData = await Fails(619, """{"error":"no data"}""", c => c.SaveAsAsync(Hub, "room_1001", new QiniuSaveAsOptions()));
        noData.IsTransient.Should().BeFalse();
        noData.ErrorCode.Should().Be("no data");

        (await Fails(429, """{"error":"too many requests"}""", c => c.ListDomainsAsync(Hub))).Should().BeOfType<LiveCloudThrottledException>();
        (await Fails(401, """{"error":"bad token"}""", c => c.ListDomainsAsync(Hub))).Should().BeOfType<LiveCloudAuthenticationException>();

        LiveCloudException gateway = await Fails(502, "<html>bad gateway</html>", c => c.ListDomainsAsync(Hub));
        gateway.IsTransient.Should().BeTrue();
        gateway.ErrorCode.Should().BeNull();
        gateway.Provider.Should().Be("qiniu-backup");

        LiveCloudException garbled = await Fails(599, """{"error":"\ud800"}""", c => c.ListDomainsAsync(Hub));
        garbled.IsTransient.Should().BeTrue();
        garbled.ErrorCode.Should().BeNull("an undecodable message is left out, not a crash");
    }

    [Fact]
    public async Task No_live_is_an_answer_not_an_error_and_an_empty_success_body_reads_as_no_fields()
    {
        (await Client(new Answer(619, """{"error":"no live"}""")).GetLiveStatusAsync(Hub, "room_1001")).Should().BeNull();
        await Client(new Answer(200, "")).EnableAsync(Hub, "room_1001");
        (await Client(new Answer(200, "")).ListDomainsAsync(Hub)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_provider_works_over_a_test_double_client()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1714550400));
        var client = new DomainsOnly(clock);
        var provider = new QiniuStreamProvider(TestSetup.Options(new Uri("http://127.0.0.1:9/")), client, new FakeCnameVerifier());

        provider.Name.Should().Be("qiniu-double");
        provider.Client.Should().BeSameAs(client);
        List<LiveDomain> domains = await provider.ListDomainsAsync().ToListAsync();
        domains.Should().ContainSingle().Which.Should().Be(new LiveDomain("pili-publish.example.com", DomainKind.Push, true, "publishRtmp", "pili-publish.example.com.publish.z0.pili.pilidns.com"));
        client.Hubs.Should().Equal(Hub);

        Func<Task> notOverridden = () => provider.GetStreamStateAsync(new StreamId(Hub, "room_1001"));
        (await notOverridden.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("test double");
        provider.CreatePushUrl(new StreamId(Hub, "room_1001"), clock.GetUtcNow().AddHours(1)).Url.Should().StartWith("rtmp://pili-publish.example.com/PiliSDKTest/room_1001?e=");
    }

    [Fact]
    public void The_provider_answers_its_parts_and_validates_under_its_registered_name()
    {
        var provider = new QiniuStreamProvider(TestSetup.Options(new Uri("http://127.0.0.1:9/")), new DomainsOnly(), new FakeCnameVerifier());
        provider.GetService(typeof(QiniuOptions)).Should().BeSameAs(provider.Options);
        provider.GetService(typeof(QiniuApiClient)).Should().BeSameAs(provider.Client);
        provider.GetService(typeof(QiniuUrlSigner)).Should().BeSameAs(provider.UrlSigner);
        provider.GetService(typeof(QiniuCallbackVerifier)).Should().BeOfType<QiniuCallbackVerifier>();

        QiniuOptions bad = TestSetup.Options(new Uri("http://127.0.0.1:9/"));
        bad.Hub = "bad hub";
        Action create = () => _ = new QiniuStreamProvider(bad, new DomainsOnly(), null);
        create.Should().Throw<LiveCloudConfigurationException>().Which.Message.Should().Contain("LiveCloud:qiniu-double:Hub 'bad hub'");

        // Only the options validate: the signer signs what it is given (no second validation path).
        new QiniuUrlSigner(bad).Hub.Should().Be("bad hub");
    }

    private static QiniuApiClient Client(HttpMessageHandler handler)
    {
        var pipeline = new VendorHttpPipeline("qiniu-backup", new HttpClient(handler), TestSetup.Fast(retries: 0), NullLogger.Instance, TimeProvider.System);
        return new QiniuApiClient(TestSetup.Options(QiniuOptions.DefaultEndpoint), pipeline);
    }

    private static async Task<LiveCloudException> Fails(int status, string body, Func<QiniuApiClient, Task> call)
    {
        Func<Task> act = () => call(Client(new Answer(status, body)));
        return (await act.Should().ThrowAsync<LiveCloudException>()).Which;
    }

    /// <summary>Answers every request with one status and body, with <c>X-Reqid: req-{status}</c>.</summary>
    private sealed class Answer(int status, string body, int? retryAfterSeconds = null) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            var response = new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "text/html" : "application/json"),
            };
            response.Headers.TryAddWithoutValidation("X-Reqid", $"req-{status}");
            if (retryAfterSeconds is { } seconds)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            }

            return Task.FromResult(response);
        }
    }

    /// <summary>A test double that overrides one operation; the others have no pipeline.</summary>
    private sealed class DomainsOnly(TimeProvider? clock = null) : QiniuApiClient(clock)
    {
        public List<string> Hubs { get; } = [];

        public override string ProviderName => "qiniu-double";

        public override Task<IReadOnlyList<QiniuDomainInfo>> ListDomainsAsync(string hub, CancellationToken cancellationToken = default)
        {
            Hubs.Add(hub);
            return Task.FromResult<IReadOnlyList<QiniuDomainInfo>>([new QiniuDomainInfo("pili-publish.example.com", "publishRtmp", "pili-publish.example.com.publish.z0.pili.pilidns.com", false, false)]);
        }
    }
}
