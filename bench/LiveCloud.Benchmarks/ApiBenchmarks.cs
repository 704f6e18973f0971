using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using LiveCloud.Aliyun.Signing;
using LiveCloud.Qiniu;
using LiveCloud.Tencent;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Emulators.Qiniu;
using LiveCloud.Testing.Emulators.Tencent;

namespace LiveCloud.Benchmarks;

/// <summary>
/// One read call per vendor — the domain list — against the vendor's loopback emulator: through the adapter
/// (<see cref="IStreamProvider.ListDomainsAsync"/>: request building, signing, resilience pipeline, JSON parsing,
/// mapping to <see cref="LiveDomain"/>) and, as the baseline, the same signed request sent with a bare
/// <see cref="HttpClient"/> and its body read as a string. Both sign with the library's public signer (the
/// emulators refuse unsigned or replayed requests), so the ratio is what the adapter adds around the wire call.
/// </summary>
/// <remarks>40 measured iterations whatever the job: a cross-process loopback round trip on a shared 2-core machine
/// varies far more than a hash does, and the gate needs the noise down.</remarks>
[IterationCount(40)]
public class ApiPath : IDisposable
{
    private EmulatorProcess? _emulators;
    private IStreamProvider _provider = null!;
    private RawClient _raw = null!;

    [Params("Tencent", "Aliyun", "Qiniu")]
    public string Vendor { get; set; } = "Tencent";

    /// <summary>
    /// The emulators run in a child process: the measured process holds only the client side, so the figures
    /// (allocations included) are the client's, and the emulators' request logs add no GC work to it.
    /// </summary>
    [GlobalSetup]
    public void GlobalSetup()
    {
        _emulators = EmulatorProcess.Start();
        (_provider, _raw) = Clients.For(Vendor, _emulators.Endpoints[Vendor]);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> Raw() => _raw.SendAsync();

    [Benchmark]
    public async Task<int> Adapter()
    {
        int count = 0;
        await foreach (LiveDomain _ in _provider.ListDomainsAsync().ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    public void Dispose()
    {
        _raw?.Dispose();
        _emulators?.Dispose();
        _emulators = null;
        GC.SuppressFinalize(this);
    }
}

/// <summary>The three vendor emulators with two domains each, on the system clock.</summary>
public sealed class Emulators : IAsyncDisposable
{
    private Emulators(TencentApiEmulator tencent, AliyunLiveEmulator aliyun, QiniuEmulator qiniu)
    {
        Tencent = tencent;
        Aliyun = aliyun;
        Qiniu = qiniu;
    }

    public TencentApiEmulator Tencent { get; }

    public AliyunLiveEmulator Aliyun { get; }

    public QiniuEmulator Qiniu { get; }

    public static async Task<Emulators> StartAsync()
    {
        TencentApiEmulator tencent = await TencentApiEmulator.StartAsync(TimeProvider.System).ConfigureAwait(false);
        tencent.AddDomain(TencentApiEmulator.PushDomain, 0);
        tencent.AddDomain(TencentApiEmulator.PlayDomain, 1);
        AliyunLiveEmulator aliyun = (await AliyunLiveEmulator.StartAsync(TimeProvider.System).ConfigureAwait(false)).AddSampleDomains();
        QiniuEmulator qiniu = await QiniuEmulator.StartAsync().ConfigureAwait(false);
        return new Emulators(tencent, aliyun, qiniu);
    }

    public Uri Endpoint(string vendor) => vendor switch
    {
        "Tencent" => Tencent.Endpoint,
        "Aliyun" => Aliyun.BaseAddress,
        "Qiniu" => Qiniu.BaseAddress,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, "Tencent, Aliyun or Qiniu"),
    };

    public async ValueTask DisposeAsync()
    {
        await Tencent.DisposeAsync().ConfigureAwait(false);
        await Aliyun.DisposeAsync().ConfigureAwait(false);
        await Qiniu.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// The same pair with the network taken out: both send through one in-memory handler that answers with the body the
/// emulator gave for that request. The difference between the two is the adapter's own CPU cost per call, measured
/// far more precisely than the loopback round trip allows; bench/report.py divides it by the raw loopback call.
/// </summary>
public class ApiOverhead : IDisposable
{
    private CannedHandler _handler = null!;
    private IStreamProvider _provider = null!;
    private RawClient _raw = null!;

    [Params("Tencent", "Aliyun", "Qiniu")]
    public string Vendor { get; set; } = "Tencent";

    [GlobalSetup]
    public void GlobalSetup()
    {
        string body;
        using (EmulatorProcess emulators = EmulatorProcess.Start())
        {
            (_, RawClient live) = Clients.For(Vendor, emulators.Endpoints[Vendor]);
            using (live)
            {
                body = live.ReadBodyAsync().GetAwaiter().GetResult();
            }
        }

        _handler = new CannedHandler(Encoding.UTF8.GetBytes(body));
        (_provider, _raw) = Clients.For(Vendor, new Uri("http://127.0.0.1:9/"), _handler);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> RawInMemory() => _raw.SendAsync();

    [Benchmark]
    public async Task<int> AdapterInMemory()
    {
        int count = 0;
        await foreach (LiveDomain _ in _provider.ListDomainsAsync().ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    public void Dispose()
    {
        _raw?.Dispose();
        _handler?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Answers every request with one fixed JSON body (HTTP 200), without a network.</summary>
public sealed class CannedHandler(byte[] body) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}

/// <summary>An adapter and its raw counterpart aimed at one endpoint.</summary>
public static class Clients
{
    public static (IStreamProvider Provider, RawClient Raw) For(string vendor, Uri endpoint, HttpMessageHandler? handler = null) => vendor switch
    {
        "Tencent" => (Setup.Tencent(TimeProvider.System, endpoint, handler), new RawTencent(endpoint, handler)),
        "Aliyun" => (Setup.Aliyun(TimeProvider.System, endpoint, handler), new RawAliyun(endpoint, handler)),
        "Qiniu" => (Setup.Qiniu(TimeProvider.System, endpoint, handler), new RawQiniu(endpoint, handler)),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, "Tencent, Aliyun or Qiniu"),
    };
}

/// <summary>The baseline: build the signed request by hand, send it with a bare HttpClient, read the body.</summary>
public abstract class RawClient(Uri endpoint, HttpMessageHandler? handler) : IDisposable
{
    protected HttpClient Http { get; } = Setup.Client(endpoint, handler);

    protected Uri Endpoint { get; } = endpoint;

    public async Task<int> SendAsync()
    {
        using HttpRequestMessage request = CreateRequest();
        using HttpResponseMessage response = await Http.SendAsync(request).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body.Length : throw new HttpRequestException($"HTTP {(int)response.StatusCode}: {body}");
    }

    public async Task<string> ReadBodyAsync()
    {
        using HttpRequestMessage request = CreateRequest();
        using HttpResponseMessage response = await Http.SendAsync(request).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync().ConfigureAwait(false) : throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
    }

    protected abstract HttpRequestMessage CreateRequest();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http.Dispose();
        }
    }
}

/// <summary>DescribeLiveDomains (PageSize 100, PageNum 1), TC3-HMAC-SHA256 signed, as the adapter sends it.</summary>
public sealed class RawTencent(Uri endpoint, HttpMessageHandler? handler = null) : RawClient(endpoint, handler)
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"PageSize":100,"PageNum":1}""");
    private readonly Tc3Signer _signer = new(TencentApiEmulator.SecretId, TencentApiEmulator.SecretKey, "live");

    protected override HttpRequestMessage CreateRequest()
    {
        Tc3Signature signature = _signer.Sign(Endpoint.Authority, TencentApiClient.ContentType, Body, "DescribeLiveDomains");
        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", TencentApiClient.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        request.Headers.TryAddWithoutValidation("X-TC-Action", "DescribeLiveDomains");
        request.Headers.TryAddWithoutValidation("X-TC-Version", TencentApiClient.ApiVersion);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", signature.Timestamp.ToString(CultureInfo.InvariantCulture));
        return request;
    }
}

/// <summary>DescribeLiveUserDomains (PageNumber 1, PageSize 50), ACS3-HMAC-SHA256 signed with a fresh nonce.</summary>
public sealed class RawAliyun(Uri endpoint, HttpMessageHandler? handler = null) : RawClient(endpoint, handler)
{
    private static readonly KeyValuePair<string, string>[] Query = [new("PageNumber", "1"), new("PageSize", "50")];

    protected override HttpRequestMessage CreateRequest()
    {
        string date = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", Endpoint.Authority),
            new("x-acs-action", "DescribeLiveUserDomains"),
            new("x-acs-version", "2016-11-01"),
            new("x-acs-date", date),
            new("x-acs-signature-nonce", Guid.NewGuid().ToString("N")),
            new("x-acs-content-sha256", AliyunAcs3Signer.EmptyPayloadHash),
        };
        Acs3Signature signature = AliyunAcs3Signer.Sign("POST", Endpoint.AbsolutePath, Query, headers, "testid", "testsecret");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, "?" + AliyunAcs3Signer.CanonicalQuery(Query)));
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (header.Key != "host")
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        return request;
    }
}

/// <summary>GET v2/hubs/{hub}/domains with a Qiniu token.</summary>
public sealed class RawQiniu(Uri endpoint, HttpMessageHandler? handler = null) : RawClient(endpoint, handler)
{
    private readonly QiniuToken _token = new(QiniuEmulator.AccessKey, QiniuEmulator.SecretKey);
    private readonly Uri _uri = new(endpoint, $"v2/hubs/{QiniuEmulator.Hub}/domains");

    protected override HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _uri) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.TryAddWithoutValidation("Authorization", _token.SignRequest("GET", _uri.PathAndQuery, _uri.Authority, "application/x-www-form-urlencoded", []));
        return request;
    }
}
