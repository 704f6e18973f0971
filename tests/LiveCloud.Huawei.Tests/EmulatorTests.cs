using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Huawei.Tests;

/// <summary>
/// The emulator's own signature check: it accepts what the library signs (the vectors show both agree with Huawei's SDK)
/// and refuses a signature, body or header that is off by one character, as Huawei's gateway does.
/// </summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private HuaweiLiveEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await HuaweiTestSetup.StartEmulatorAsync(_clock);

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private HttpRequestMessage Signed(HttpMethod method, string route, (string, string)[] query, string? body, Func<string, string>? tamperSignature = null, DateTimeOffset? date = null, bool projectHeader = true)
    {
        string path = $"/v1/{HuaweiLiveEmulator.ProjectId}/{route}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", _emu.BaseAddress.Authority),
            new("x-project-id", HuaweiLiveEmulator.ProjectId),
            new("x-sdk-date", (date ?? _clock.GetUtcNow()).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)),
        };
        if (body is not null)
        {
            headers.Add(new("content-type", "application/json"));
        }

        List<KeyValuePair<string, string>> pairs = [.. query.Select(q => new KeyValuePair<string, string>(q.Item1, q.Item2))];
        HuaweiSignature signature = HuaweiApiSigner.Sign(method.Method, path, pairs, headers, Encoding.UTF8.GetBytes(body ?? string.Empty), HuaweiLiveEmulator.AccessKeyId, HuaweiLiveEmulator.SecretAccessKey);
        string canonicalQuery = HuaweiApiSigner.CanonicalQuery(pairs);
        var request = new HttpRequestMessage(method, new Uri(_emu.BaseAddress, path.TrimStart('/') + (canonicalQuery.Length > 0 ? "?" + canonicalQuery : string.Empty)));
        foreach (KeyValuePair<string, string> header in headers.Where(h => h.Key is "x-sdk-date" || (h.Key is "x-project-id" && projectHeader)))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        string value = signature.Signature;
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization.Replace(value, tamperSignature?.Invoke(value) ?? value, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    private static async Task ShouldBeRefused(HttpResponseMessage response, string why)
    {
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, body);
        using JsonDocument json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("error_code").GetString().Should().Be("APIGW.0301");
        json.RootElement.GetProperty("error_msg").GetString().Should().Contain(why);
    }

    [Fact]
    public async Task A_signed_request_is_accepted_with_an_encoded_query()
    {
        _emu.Online.Add(new EmulatedHuaweiOnline("push.example.com", "live", "a-b_c", _clock.GetUtcNow()));
        using HttpResponseMessage ok = await Http.SendAsync(Signed(HttpMethod.Get, "realtime/streams", [("publish_domain", "push.example.com"), ("app", "live"), ("stream", "a-b_c"), ("offset", "0"), ("limit", "100")], null));
        ok.StatusCode.Should().Be(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        ok.Headers.GetValues("X-Request-Id").Single().Should().StartWith("emu");

        // Reserved characters travel percent-encoded and are signed so: the emulator decodes and re-encodes on its own.
        using HttpResponseMessage traffic = await Http.SendAsync(Signed(HttpMethod.Get, "realtime/streams", [("publish_domain", "push.example.com"), ("app", "live"), ("stream", "a b+c/中:*")], null));
        traffic.StatusCode.Should().Be(HttpStatusCode.OK, await traffic.Content.ReadAsStringAsync());
        _emu.Calls.Last()["stream"].Should().Be("a b+c/中:*");
    }

    [Fact]
    public async Task A_signature_off_by_one_character_is_refused()
    {
        using HttpResponseMessage refused = await Http.SendAsync(Signed(HttpMethod.Get, "domain", [], null, s => Tamper.OffByOne(s)));
        await ShouldBeRefused(refused, "verify aksk signature fail");
        _emu.Calls.Should().BeEmpty("the refused request never reaches the action");
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        HttpRequestMessage request = Signed(HttpMethod.Post, "stream/block-once", [], """{"domain":"push.example.com","app_name":"live","stream_name":"room_1001"}""");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"domain":"push.example.com","app_name":"live","stream_name":"room_1002"}"""));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage refused = await Http.SendAsync(request);
        await ShouldBeRefused(refused, "verify aksk signature fail");
        _emu.Kicks.Should().BeEmpty();
    }

    [Fact]
    public async Task A_stale_date_and_a_missing_project_header_are_refused()
    {
        using HttpResponseMessage stale = await Http.SendAsync(Signed(HttpMethod.Get, "domain", [], null, date: _clock.GetUtcNow().AddMinutes(-16)));
        await ShouldBeRefused(stale, "15 minutes");
        using HttpResponseMessage noProject = await Http.SendAsync(Signed(HttpMethod.Get, "domain", [], null, projectHeader: false));
        await ShouldBeRefused(noProject, "X-Project-Id");
    }

    [Fact]
    public async Task Five_refused_signatures_lock_the_key_for_five_minutes()
    {
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage refused = await Http.SendAsync(Signed(HttpMethod.Get, "domain", [], null, s => Tamper.OffByOne(s)));
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using (HttpResponseMessage locked = await Http.SendAsync(Signed(HttpMethod.Get, "domain", [], null)))
        {
            await ShouldBeRefused(locked, "locked");
        }

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using HttpResponseMessage ok = await Http.SendAsync(Signed(HttpMethod.Get, "domain", [], null));
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void Callbacks_built_by_the_emulator_carry_the_documented_fields()
    {
        CallbackRequest publish = HuaweiLiveEmulator.PushCallback(HuaweiTestSetup.CallbackKey, "PUBLISH", "push.example.com", "live", "example_stream", 1587954134, 1587954140, userArgs: "cdn=hw");
        using JsonDocument json = JsonDocument.Parse(publish.Body);
        json.RootElement.GetProperty("publish_timestamp").ValueKind.Should().Be(JsonValueKind.String, "Huawei sends publish_timestamp as a string");
        json.RootElement.GetProperty("auth_timestamp").ValueKind.Should().Be(JsonValueKind.Number);
        json.RootElement.GetProperty("auth_sign").GetString().Should().Be("fc349f5fd7080d5baf91f2ccbe7fdbab05d0727ebf748ebc1592c684a622c4df", "N1");
    }
}
