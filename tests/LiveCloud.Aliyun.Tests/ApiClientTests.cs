using LiveCloud.Testing.Fakes;
using System.Net;
using System.Text;
using LiveCloud.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>The API client on the template: the error envelope read by <c>ReadError</c>, and test doubles.</summary>
public sealed class ApiClientTests
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

    // A second account registered under its own name: errors must carry that name.
    private static (AliyunStreamProvider Provider, Canned Handler) Over(Canned handler)
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        options.Resilience = AliyunTestSetup.Fast(retries: 0);
        var pipeline = new VendorHttpPipeline("aliyun-backup", new HttpClient(handler) { BaseAddress = options.Endpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System);
        return (new AliyunStreamProvider(options, pipeline, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1714550400))), handler);
    }

    [Fact]
    public async Task Throttling_in_an_http_400_envelope_is_a_throttled_error_with_code_request_id_and_retry_after()
    {
        (AliyunStreamProvider provider, _) = Over(new Canned(
            HttpStatusCode.BadRequest,
            """{"RequestId":"5C8F-THROTTLED","HostId":"live.aliyuncs.com","Code":"Throttling.User","Message":"Request was denied due to user flow control.","Recommend":"https://next.api.aliyun.com/troubleshoot"}""",
            ("x-acs-retry-after", "1500")));
        Func<Task> call = () => provider.GetStreamStateAsync(Room);
        LiveCloudThrottledException e = (await call.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        e.ErrorCode.Should().Be("Throttling.User");
        e.RequestId.Should().Be("5C8F-THROTTLED");
        e.Status.Should().Be(HttpStatusCode.BadRequest);
        e.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(1500));
        e.IsTransient.Should().BeTrue();
        e.Provider.Should().Be("aliyun-backup", "errors carry the registered provider name, not the type's");
        e.Message.Should().Contain("DescribeLiveStreamsOnlineList").And.Contain("user flow control");
    }

    [Fact]
    public async Task An_absurd_retry_after_is_ignored_and_the_error_stays_typed()
    {
        (AliyunStreamProvider provider, _) = Over(new Canned(HttpStatusCode.BadRequest, """{"RequestId":"R2","Code":"Throttling.Api","Message":"\ud800"}""", ("x-acs-retry-after", "99999999999999999")));
        Func<Task> call = () => provider.GetStreamStateAsync(Room);
        LiveCloudThrottledException e = (await call.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        e.ErrorCode.Should().Be("Throttling.Api");
        e.RequestId.Should().Be("R2");
        e.RetryAfter.Should().BeNull();
    }

    [Fact]
    public async Task Envelope_codes_become_their_exception_types()
    {
        (AliyunStreamProvider auth, _) = Over(new Canned(HttpStatusCode.NotFound, """{"RequestId":"R3","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}"""));
        Func<Task> a = () => auth.ListDomainsAsync().ToListAsync().AsTask();
        (await a.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which.ErrorCode.Should().Be("InvalidAccessKeyId.NotFound");

        (AliyunStreamProvider missing, _) = Over(new Canned(HttpStatusCode.BadRequest, """{"requestId":"R4","code":"InvalidDomain.NotFound","message":"no such domain"}"""));
        Func<Task> m = () => missing.GetDomainStatusAsync("nope.example.com");
        LiveCloudNotFoundException notFound = (await m.Should().ThrowAsync<LiveCloudNotFoundException>()).Which;
        notFound.ErrorCode.Should().Be("InvalidDomain.NotFound");
        notFound.RequestId.Should().Be("R4");

        // An error shape inside a 2xx: Code and no RequestId.
        (AliyunStreamProvider inside, _) = Over(new Canned(HttpStatusCode.OK, """{"Code":"InternalError","Message":"busy"}""", ("x-acs-request-id", "R5")));
        Func<Task> i = () => inside.GetStreamStateAsync(Room);
        LiveCloudException transient = (await i.Should().ThrowAsync<LiveCloudException>()).Which;
        transient.ErrorCode.Should().Be("InternalError");
        transient.IsTransient.Should().BeTrue();
        transient.RequestId.Should().Be("R5");

        (AliyunStreamProvider proxy, _) = Over(new Canned(HttpStatusCode.BadGateway, "<html>bad gateway</html>"));
        Func<Task> p = () => proxy.GetStreamStateAsync(Room);
        LiveCloudException gateway = (await p.Should().ThrowAsync<LiveCloudException>()).Which;
        gateway.IsTransient.Should().BeTrue();
        gateway.Status.Should().Be(HttpStatusCode.BadGateway);
        gateway.Provider.Should().Be("aliyun-backup");
    }

    /// <summary>Overrides one operation; everything else would need a pipeline.</summary>
    private sealed class OneDomain : AliyunApiClient
    {
        public override string ProviderName => "aliyun-double";

        public override Task<LiveDomain> DescribeLiveDomainDetailAsync(string domain, CancellationToken cancellationToken = default) =>
            Task.FromResult(new LiveDomain(domain, DomainKind.Play, true, "online", domain + ".w.alikunlun.com"));
    }

    [Fact]
    public async Task The_provider_runs_over_a_test_double_api_client()
    {
        var dns = new FakeCnameVerifier();
        dns.Chains["play.example.com"] = ["play.example.com.w.alikunlun.com"];
        var client = new OneDomain();
        var provider = new AliyunStreamProvider(AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/")), client, dns);

        provider.Name.Should().Be("aliyun-double");
        DomainStatus status = await provider.GetDomainStatusAsync("play.example.com");
        status.Domain.ExpectedCname.Should().Be("play.example.com.w.alikunlun.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);

        provider.GetService(typeof(AliyunApiClient)).Should().BeSameAs(client);
        provider.GetService(typeof(AliyunUrlSigner)).Should().BeSameAs(provider.UrlSigner);
        provider.GetService(typeof(AliyunCallbackVerifier)).Should().BeSameAs(provider.CallbackVerifier);
        provider.GetService(typeof(AliyunOptions)).Should().BeSameAs(provider.Options);

        Func<Task> notOverridden = () => provider.GetStreamStateAsync(Room);
        (await notOverridden.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("test double");
    }

    [Fact]
    public void A_provider_over_a_client_validates_its_options_under_its_name()
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        options.PlayKey = null;
        Action create = () => _ = new AliyunStreamProvider(options, new OneDomain(), null);
        create.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:aliyun-double:PlayKey is required.*");
    }
}
