using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LiveCloud.Diagnostics;
using LiveCloud.Http;
using LiveCloud.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LiveCloud.Tests;

/// <summary>
/// The shared vendor pipeline against a real loopback HTTP server that plays a script of faults.
/// The "vendor" here answers <c>{"code": "...", "requestId": "..."}</c>; the reader classifies codes the
/// way adapters do (throttle codes inside HTTP 200, as Tencent sends them).
/// </summary>
public sealed class VendorHttpPipelineTests : IAsyncLifetime
{
    private const string Secret = "SECRET-KEY-never-logged";
    private readonly Queue<Func<HttpContext, Task>> _script = new();
    private readonly FakeLogger _logger = new();
    private LoopbackServer _server = null!;
    private int _requestCounter;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(async context =>
    {
        Func<HttpContext, Task> step;
        lock (_script)
        {
            step = _script.Count > 0 ? _script.Dequeue() : Ok;
        }

        await step(context);
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static VendorResilienceOptions Fast(int retries = 3) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(2), // room for a cold first request; the slow faults take 5 s
        TotalTimeout = TimeSpan.FromSeconds(20),
        CircuitBreakerMinimumThroughput = 100,
    };

    private VendorHttpPipeline Pipeline(VendorResilienceOptions? options = null) =>
        new("Test", new HttpClient { BaseAddress = _server.BaseAddress }, options ?? Fast(), _logger, TimeProvider.System);

    private void Then(params Func<HttpContext, Task>[] steps)
    {
        lock (_script)
        {
            foreach (Func<HttpContext, Task> step in steps)
            {
                _script.Enqueue(step);
            }
        }
    }

    private Task Ok(HttpContext c) => Answer(c, 200, null);

    private Task Answer(HttpContext c, int status, string? code, string? retryAfter = null)
    {
        c.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            c.Response.Headers["x-acs-retry-after"] = retryAfter;
        }

        int n = Interlocked.Increment(ref _requestCounter);
        return c.Response.WriteAsJsonAsync(new { code, requestId = $"req-{n}" });
    }

    private Func<HttpContext, Task> Status(int status) => c => Answer(c, status, null);

    private Func<HttpContext, Task> Code(string code, string? retryAfter = null) => c => Answer(c, 200, code, retryAfter);

    private static Func<HttpContext, Task> Slow(TimeSpan delay) => async c =>
    {
        await Task.Delay(delay, c.RequestAborted);
        c.Response.StatusCode = 200;
    };

    private static Func<HttpContext, Task> Drop => c =>
    {
        c.Abort();
        return Task.CompletedTask;
    };

    private int Attempts => _server.Requests.Count;

    private static Task<string> Call(VendorHttpPipeline pipeline, VendorOperation op, CancellationToken token = default) =>
        pipeline.SendAsync(
            op,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"api?token={Secret}");
                request.Headers.TryAddWithoutValidation("Authorization", "HMAC " + Secret);
                request.Headers.TryAddWithoutValidation("X-Nonce", Guid.NewGuid().ToString("N"));
                return request;
            },
            ReadAsync,
            token);

    // What an adapter's reader does: parse the body, classify the vendor code, throw the typed error.
    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken token)
    {
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
        string? code = doc.RootElement.GetProperty("code").GetString();
        string requestId = doc.RootElement.GetProperty("requestId").GetString()!;
        if (code is null && response.IsSuccessStatusCode)
        {
            return requestId;
        }

        VendorErrorKind kind = code switch
        {
            "RequestLimitExceeded" => VendorErrorKind.Throttled,
            "InternalError" => VendorErrorKind.Transient,
            "AuthFailure.SignatureFailure" => VendorErrorKind.Authentication,
            "ResourceNotFound" => VendorErrorKind.NotFound,
            null => VendorError.KindOf(response.StatusCode),
            _ => VendorErrorKind.Failed,
        };
        TimeSpan? retryAfter = response.Headers.TryGetValues("x-acs-retry-after", out IEnumerable<string>? v) ? TimeSpan.FromMilliseconds(int.Parse(v.First(), System.Globalization.CultureInfo.InvariantCulture)) : null;
        throw new VendorError("Test", "Op", kind, code, "vendor says no", requestId, response.StatusCode) { RetryAfter = retryAfter }.ToException();
    }

    [Fact]
    public async Task Read_is_retried_through_503s_and_throttle_bodies_until_it_succeeds()
    {
        Then(Status(503), Code("RequestLimitExceeded"), Status(429));
        string requestId = await Call(Pipeline(), VendorOperation.Read("Describe"));
        Attempts.Should().Be(4);
        requestId.Should().Be("req-4");
    }

    [Fact]
    public async Task Each_attempt_is_a_freshly_built_request()
    {
        Then(Status(503), Status(503));
        await Call(Pipeline(), VendorOperation.Read("Describe"));
        _server.Requests.Select(r => r.Headers["X-Nonce"]).Should().OnlyHaveUniqueItems().And.HaveCount(3);
    }

    [Fact]
    public async Task Unsafe_write_is_never_retried()
    {
        Then(Status(503));
        Func<Task> call = () => Call(Pipeline(), VendorOperation.Write("Create"));
        LiveCloudException error = (await call.Should().ThrowAsync<LiveCloudException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        error.RequestId.Should().Be("req-1");
        Attempts.Should().Be(1);
    }

    [Fact]
    public async Task Unsafe_write_that_times_out_is_not_sent_again()
    {
        Then(Slow(TimeSpan.FromSeconds(5)));
        Func<Task> call = () => Call(Pipeline(), VendorOperation.Write("Create"));
        (await call.Should().ThrowAsync<LiveCloudException>()).Which.Message.Should().Contain("timed out");
        Attempts.Should().Be(1);
    }

    [Fact]
    public async Task Idempotent_write_is_retried()
    {
        Then(Code("InternalError"));
        await Call(Pipeline(), VendorOperation.IdempotentWrite("Drop"));
        Attempts.Should().Be(2);
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_with_a_typed_transient_error_carrying_the_last_request_id()
    {
        Then(Code("RequestLimitExceeded"), Code("RequestLimitExceeded"), Code("RequestLimitExceeded"));
        Func<Task> call = () => Call(Pipeline(Fast(retries: 2)), VendorOperation.Read("Describe"));
        LiveCloudThrottledException error = (await call.Should().ThrowAsync<LiveCloudThrottledException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.ErrorCode.Should().Be("RequestLimitExceeded");
        error.RequestId.Should().Be("req-3");
        error.Provider.Should().Be("Test");
        Attempts.Should().Be(3);
    }

    [Fact]
    public async Task Slow_attempt_times_out_and_the_read_is_retried()
    {
        Then(Slow(TimeSpan.FromSeconds(5)));
        await Call(Pipeline(), VendorOperation.Read("Describe"));
        Attempts.Should().Be(2);
    }

    [Fact]
    public async Task Dropped_connection_is_retried_for_reads()
    {
        Then(Drop, Drop);
        await Call(Pipeline(), VendorOperation.Read("Describe"));
        Attempts.Should().Be(3);
    }

    [Fact]
    public async Task Permanent_errors_are_not_retried_and_keep_their_type()
    {
        Then(Code("AuthFailure.SignatureFailure"));
        Func<Task> auth = () => Call(Pipeline(), VendorOperation.Read("Describe"));
        LiveCloudAuthenticationException error = (await auth.Should().ThrowAsync<LiveCloudAuthenticationException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.ErrorCode.Should().Be("AuthFailure.SignatureFailure");
        Attempts.Should().Be(1);

        Then(Status(404));
        Func<Task> missing = () => Call(Pipeline(), VendorOperation.Read("Describe"));
        await missing.Should().ThrowAsync<LiveCloudNotFoundException>();
        Attempts.Should().Be(2);
    }

    [Fact]
    public async Task Vendor_retry_after_sets_the_delay()
    {
        Then(Code("RequestLimitExceeded", retryAfter: "40"));
        await Call(Pipeline(), VendorOperation.Read("Describe"));
        _logger.Collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains("in 40 ms after RequestLimitExceeded"));
    }

    [Fact]
    public async Task Cancellation_stops_retries_and_back_off()
    {
        VendorResilienceOptions slowBackoff = Fast();
        slowBackoff.BaseDelay = TimeSpan.FromSeconds(10);
        slowBackoff.MaxDelay = TimeSpan.FromSeconds(10);
        var firstAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Then(
            async c =>
            {
                await Status(503)(c);
                firstAnswered.TrySetResult();
            },
            Status(503));
        using var cts = new CancellationTokenSource();
        Task call = Call(Pipeline(slowBackoff), VendorOperation.Read("Describe"), cts.Token);
        // Cancel during the 10 s back-off, once the first attempt has certainly been answered (a fixed delay raced
        // the first request on a loaded machine).
        await firstAnswered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        Func<Task> wait = () => call;
        await wait.Should().ThrowAsync<OperationCanceledException>();
        Attempts.Should().Be(1, "the back-off was cancelled before a second attempt");
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_calls_fail_fast_without_reaching_the_vendor()
    {
        VendorResilienceOptions options = Fast(retries: 0);
        options.CircuitBreakerMinimumThroughput = 2;
        options.CircuitBreakerFailureRatio = 0.5;
        options.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30);
        VendorHttpPipeline pipeline = Pipeline(options);
        Then(Status(503), Status(503));
        for (int i = 0; i < 2; i++)
        {
            Func<Task> failing = () => Call(pipeline, VendorOperation.Read("Describe"));
            await failing.Should().ThrowAsync<LiveCloudException>();
        }

        Func<Task> blocked = () => Call(pipeline, VendorOperation.Read("Describe"));
        LiveCloudException error = (await blocked.Should().ThrowAsync<LiveCloudException>()).Which;
        error.Message.Should().Contain("circuit is open");
        error.IsTransient.Should().BeTrue();
        Attempts.Should().Be(2);
    }

    [Fact]
    public async Task Logs_and_traces_name_the_call_but_never_the_secrets()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == LiveCloudDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        _logger.ControlLevel(LogLevel.Trace, true);

        Then(Code("RequestLimitExceeded"), Code("AuthFailure.SignatureFailure"));
        Func<Task> call = () => Call(Pipeline(), VendorOperation.Read("DescribeThings"));
        await call.Should().ThrowAsync<LiveCloudAuthenticationException>();

        IReadOnlyList<FakeLogRecord> logs = _logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("DescribeThings") && r.Message.Contains("AuthFailure.SignatureFailure") && r.Message.Contains("req-2"));
        logs.Should().Contain(r => r.Message.Contains("/api"), "the endpoint path is logged");
        logs.Should().NotContain(r => r.Message.Contains(Secret) || r.StructuredState!.Any(kv => kv.Value != null && kv.Value.Contains(Secret)));

        Activity span = spans.Should().ContainSingle(a => a.DisplayName == "Test DescribeThings").Which;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.GetTagItem("livecloud.request_id").Should().Be("req-2");
        span.GetTagItem("livecloud.provider").Should().Be("Test");
        span.TagObjects.Should().NotContain(t => t.Value != null && t.Value.ToString()!.Contains(Secret));
    }

    [Fact]
    public void Bad_resilience_options_are_reported_by_key()
    {
        var options = new VendorResilienceOptions { MaxRetryAttempts = 11, AttemptTimeout = TimeSpan.FromMinutes(5), CircuitBreakerFailureRatio = 0 };
        var failures = new List<string>();
        options.Validate("LiveCloud:Tencent", failures);
        failures.Should().HaveCount(3);
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Tencent:Resilience:MaxRetryAttempts", StringComparison.Ordinal) && f.Contains("11"));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Tencent:Resilience:AttemptTimeout", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Tencent:Resilience:CircuitBreakerFailureRatio", StringComparison.Ordinal));
    }
}
