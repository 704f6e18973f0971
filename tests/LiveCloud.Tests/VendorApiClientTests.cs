using System.Net;
using System.Text.Json;
using LiveCloud.Http;
using LiveCloud.Json;
using LiveCloud.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Tests;

/// <summary>The one send-and-parse path every vendor client uses.</summary>
public sealed class VendorApiClientTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private Func<HttpContext, Task> _answer = c => c.Response.WriteAsync("""{"value":1}""");

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(c => _answer(c));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A vendor whose errors are <c>{"err":"Code"}</c> in any status.</summary>
    private sealed class ToyClient(VendorHttpPipeline pipeline) : VendorApiClient(pipeline, null)
    {
        public Task<long> GetAsync(VendorOperation? operation = null) =>
            SendAsync(operation ?? VendorOperation.Read("Get"), () => new HttpRequestMessage(HttpMethod.Get, "x"), r => r.Json.GetInt64("value") ?? throw new FormatException("no value"), CancellationToken.None);

        public Task<long> CreateAsync(bool alreadyThereIsSuccess) =>
            SendAsync(VendorOperation.Write("Create"), () => new HttpRequestMessage(HttpMethod.Post, "x"), r => r.Json.GetInt64("value") ?? 0, e => (alreadyThereIsSuccess && e.Code == "Exists", 7L), CancellationToken.None);

        protected override VendorError? ReadError(VendorOperation operation, VendorResponse response) =>
            response.TryGetJson(out JsonElement root) && root.GetText("err") is { } code
                ? new VendorError(ProviderName, operation.Name, code == "Slow" ? VendorErrorKind.Throttled : VendorErrorKind.Failed, code, "no", response.Header("x-req"), response.Status)
                : response.IsSuccessStatusCode ? null : new VendorError(ProviderName, operation.Name, VendorError.KindOf(response.Status), null, null, null, response.Status);
    }

    private ToyClient Client(int retries = 0) => new(new VendorHttpPipeline(
        "Toy",
        new HttpClient { BaseAddress = _server.BaseAddress },
        new VendorResilienceOptions { MaxRetryAttempts = retries, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        NullLogger.Instance,
        TimeProvider.System));

    [Fact]
    public async Task A_success_is_read_and_an_error_envelope_becomes_the_typed_exception()
    {
        (await Client().GetAsync()).Should().Be(1);
        _answer = async c =>
        {
            c.Response.Headers["x-req"] = "req-9";
            await c.Response.WriteAsync("""{"err":"Slow"}""");
        };
        Func<Task> throttled = () => Client().GetAsync();
        (await throttled.Should().ThrowAsync<LiveCloudThrottledException>()).Which.Should().Match<LiveCloudThrottledException>(e =>
            e.ErrorCode == "Slow" && e.RequestId == "req-9" && e.Provider == "Toy" && e.Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_answer_of_an_unexpected_shape_is_a_LiveCloudException_naming_the_call()
    {
        _answer = c => c.Response.WriteAsync("""{"other":true}""");
        Func<Task> call = () => Client().GetAsync();
        (await call.Should().ThrowAsync<LiveCloudException>()).WithMessage("Toy Get answered in a shape LiveCloud does not understand: no value");

        _answer = c => c.Response.WriteAsync("<html>proxy error</html>");
        (await call.Should().ThrowAsync<LiveCloudException>()).WithMessage("Toy Get answered HTTP 200 with a body that is not JSON*");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_without_reading_it_all()
    {
        _answer = async c =>
        {
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < 9; i++)
            {
                await c.Response.Body.WriteAsync(chunk);
            }
        };
        Func<Task> call = () => Client().GetAsync();
        (await call.Should().ThrowAsync<LiveCloudException>()).WithMessage($"*over {VendorApiClient.MaxResponseBytes} bytes*");
    }

    [Fact]
    public async Task A_caller_may_recover_a_vendor_error_as_success()
    {
        _answer = c => c.Response.WriteAsync("""{"err":"Exists"}""");
        (await Client().CreateAsync(alreadyThereIsSuccess: true)).Should().Be(7);
        Func<Task> strict = () => Client().CreateAsync(alreadyThereIsSuccess: false);
        (await strict.Should().ThrowAsync<LiveCloudException>()).Which.ErrorCode.Should().Be("Exists");
    }

    [Fact]
    public async Task A_test_double_without_a_pipeline_says_so()
    {
        var client = new Double();
        Func<Task> call = () => client.CallAsync();
        (await call.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*without a pipeline*");
    }

    private sealed class Double : VendorApiClient
    {
        public Task<int> CallAsync() => SendAsync(VendorOperation.Read("X"), () => new HttpRequestMessage(), _ => 1, CancellationToken.None);

        protected override VendorError? ReadError(VendorOperation operation, VendorResponse response) => null;
    }
}
