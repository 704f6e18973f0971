using System.Net;
using System.Text;
using System.Text.Json;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Volcengine;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Volcengine.Tests;

/// <summary>
/// The emulator's own signature check (its code reproduces the vectors in <see cref="VectorTests"/>): it accepts the
/// header sets every official SDK signs, and refuses a signature off by one character, a skewed clock, a body that is
/// not the one hashed, an unknown key and a missing session token, each with Volcengine's error envelope.
/// </summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly FakeTimeProvider _clock = new(VolcengineTestSetup.Now);
    private readonly VolcengineRequestSigner _signer = new(VolcengineLiveEmulator.AccessKeyId, VolcengineLiveEmulator.SecretAccessKey, "cn-north-1", "live");
    private VolcengineLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = (await VolcengineLiveEmulator.StartAsync(_clock)).AddSampleDomains();

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Send(
        bool npmStyle = false, Func<string, string>? tamperSignature = null, string body = """{"PageNum":1,"PageSize":10}""", string? sentBody = null,
        DateTimeOffset? signedAt = null, string? token = null, VolcengineRequestSigner? signer = null)
    {
        string query = VolcengineRequestSigner.CanonicalQuery([new("Action", "ListDomainDetail"), new("Version", "2023-01-01")]);
        string xDate = VolcengineRequestSigner.FormatXDate(signedAt ?? _clock.GetUtcNow());
        string hash = VolcengineRequestSigner.Sha256Hex(Encoding.UTF8.GetBytes(body));
        var headers = new List<KeyValuePair<string, string>> { new("x-date", xDate), new("x-content-sha256", hash) };
        if (!npmStyle)
        {
            headers.Add(new("host", _emu.BaseAddress.Authority));
            headers.Add(new("content-type", "application/json"));
        }

        if (token is not null)
        {
            headers.Add(new("x-security-token", token));
        }

        VolcengineSignature signature = (signer ?? _signer).Sign("POST", "/", query, headers, hash, xDate);
        string authorization = tamperSignature is null ? signature.Authorization : signature.Authorization.Replace(signature.Signature, tamperSignature(signature.Signature), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emu.BaseAddress, "?" + query));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("X-Date", xDate);
        request.Headers.TryAddWithoutValidation("X-Content-Sha256", hash);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Security-Token", token);
        }

        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(sentBody ?? body));
        // The npm SDK sends its charset unsigned; the Python SDK signs exactly this.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", npmStyle ? "application/json; charset=utf-8" : "application/json");
        using HttpResponseMessage response = await Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string? Code(JsonElement body) =>
        body.GetProperty("ResponseMetadata").TryGetProperty("Error", out JsonElement error) ? error.GetProperty("Code").GetString() : null;

    [Fact]
    public async Task A_signed_request_is_answered_with_the_documented_shape()
    {
        (HttpStatusCode status, JsonElement body) = await Send();
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("ResponseMetadata").GetProperty("Action").GetString().Should().Be("ListDomainDetail");
        body.GetProperty("Result").GetProperty("Total").GetInt32().Should().Be(2);
        body.GetProperty("Result").GetProperty("DomainList")[0].GetProperty("CNAME").GetString().Should().Be("push.example.com.bytefcdn.com");
    }

    [Fact]
    public async Task The_npm_sdks_header_set_is_accepted_too()
    {
        (HttpStatusCode status, JsonElement body) = await Send(npmStyle: true);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        _emu.Calls.Single().SignedHeaders.Should().Equal("x-content-sha256", "x-date");
    }

    [Fact]
    public async Task A_signature_off_by_one_character_is_refused()
    {
        (HttpStatusCode status, JsonElement body) = await Send(tamperSignature: s => Tamper.OffByOne(s));
        status.Should().Be(HttpStatusCode.Unauthorized);
        Code(body).Should().Be("SignatureDoesNotMatch");
        body.GetProperty("ResponseMetadata").GetProperty("Error").GetProperty("CodeN").GetInt64().Should().Be(100010);
        _emu.Calls.Should().BeEmpty("nothing is carried out for a forged request");
    }

    [Fact]
    public async Task A_body_other_than_the_one_hashed_is_refused()
    {
        (HttpStatusCode status, JsonElement body) = await Send(sentBody: """{"PageNum":2,"PageSize":10}""");
        status.Should().Be(HttpStatusCode.Unauthorized);
        Code(body).Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task A_skewed_clock_an_unknown_key_and_a_missing_session_token_are_refused()
    {
        (HttpStatusCode skewStatus, JsonElement skew) = await Send(signedAt: _clock.GetUtcNow().AddMinutes(-20));
        skewStatus.Should().Be(HttpStatusCode.BadRequest);
        Code(skew).Should().Be("InvalidTimestamp");

        (HttpStatusCode unknownStatus, JsonElement unknown) = await Send(signer: new VolcengineRequestSigner("AKLTNOBODY", "secret", "cn-north-1", "live"));
        unknownStatus.Should().Be(HttpStatusCode.Unauthorized);
        Code(unknown).Should().Be("InvalidAccessKey");

        _emu.SessionTokens[VolcengineLiveEmulator.AccessKeyId] = "STS-TOKEN";
        Code((await Send()).Body).Should().Be("InvalidSecretToken");
        (await Send(token: "STS-TOKEN")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Faults_keep_the_envelope_and_commonerr_comes_with_http_200()
    {
        _emu.Then(VolcengineLiveEmulator.CommonErr, VolcengineLiveEmulator.FlowLimit, Faults.Status(502));
        (HttpStatusCode first, JsonElement common) = await Send();
        first.Should().Be(HttpStatusCode.OK);
        Code(common).Should().Be("CommonErr");
        (HttpStatusCode second, JsonElement flow) = await Send();
        second.Should().Be(HttpStatusCode.TooManyRequests);
        flow.GetProperty("ResponseMetadata").GetProperty("Error").GetProperty("CodeN").GetInt64().Should().Be(100018);
        Func<Task> html = () => Send();
        await html.Should().ThrowAsync<JsonException>("a gateway's page is not JSON");
    }

    [Fact]
    public void A_push_callback_is_signed_by_volcengines_rule_and_a_redelivery_is_re_signed()
    {
        DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        CallbackRequest first = VolcengineLiveEmulator.PushCallback("3a5e7f0c9b1d", "push_start", "live", "room_1001", "s1", time, time);
        CallbackRequest again = VolcengineLiveEmulator.PushCallback("3a5e7f0c9b1d", "push_start", "live", "room_1001", "s1", time, time.AddSeconds(3));
        using JsonDocument a = JsonDocument.Parse(first.Body);
        using JsonDocument b = JsonDocument.Parse(again.Body);
        a.RootElement.GetProperty("t").GetInt64().Should().Be(1700000600, "t is the expiry: sent + 10 minutes");
        a.RootElement.GetProperty("sign").GetString().Should().Be("ab33e2437ba5ed342b8e169a8b17cc93", "vector C2");
        b.RootElement.GetProperty("t").GetInt64().Should().Be(1700000603);
        b.RootElement.GetProperty("sign").GetString().Should().NotBe(a.RootElement.GetProperty("sign").GetString());
        b.RootElement.GetProperty("time_ms").GetInt64().Should().Be(1700000000000);
    }
}
