using System.Net;
using System.Text;
using LiveCloud.Http;
using LiveCloud.Huawei;
using LiveCloud.Qiniu;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.Referees.Tests;

/// <summary>The library fixes the referees called for, each shown on an answer of the vendor's own shape.</summary>
public sealed class LibraryFixTests
{
    [Fact]
    public async Task Qiniu_reads_the_hub_name_from_hubName_as_Qiniu_models_it()
    {
        // GetHubInfoResponse in Qiniu's Go SDK (package pili): Name string `json:"hubName"`.
        using var handler = new CannedHandler("""{"hubName":"PiliHubAsNamed","createdAt":1500000000,"domains":[],"storageBucket":"b","publishSecurity":"expiry_sk","vodDomain":"vod.example.com"}""");
        var endpoint = new Uri("http://pili.test/");
        var options = new QiniuOptions { AccessKey = "ak", SecretKey = "sk", Hub = "PiliSDKTest", Endpoint = endpoint };
        var pipeline = new VendorHttpPipeline("Qiniu", new HttpClient(handler) { BaseAddress = endpoint }, new VendorResilienceOptions { MaxRetryAttempts = 0 }, NullLogger.Instance, TimeProvider.System);

        QiniuHubInfo hub = await new QiniuApiClient(options, pipeline).GetHubAsync("PiliSDKTest");

        hub.Name.Should().Be("PiliHubAsNamed", "the answer's hubName, not the hub asked for");
        hub.VodDomain.Should().Be("vod.example.com");
    }

    [Fact]
    public void Huawei_sorts_a_repeated_parameters_values_before_encoding_them_as_Huaweis_SDKs_do()
    {
        // The Go SDK (core/auth/signer: sort.Strings on the raw values, then escape) and the Node core (value.sort(), then
        // urlEncode) order "a-b" before "a/b" and "z" before "é"; sorting the encoded text ("a%2Fb", "%C3%A9") inverts both.
        HuaweiApiSigner.CanonicalQuery([new("tag", "a/b"), new("tag", "é"), new("tag", "a-b"), new("tag", "z")])
            .Should().Be("tag=a-b&tag=a%2Fb&tag=z&tag=%C3%A9");
    }

    private sealed class CannedHandler(string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}
