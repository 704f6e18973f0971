using LiveCloud.Testing.Emulators.Aliyun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

public sealed class ProviderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private AliyunStreamProvider Provider(Action<AliyunOptions>? configure = null)
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), _clock);
    }

    [Theory]
    [InlineData("live", "room.1001", "room.1001")]
    [InlineData("live.v2", "room_1001", "live.v2")]
    public async Task Names_outside_aliyuns_rule_are_refused_naming_the_value(string app, string name, string bad)
    {
        AliyunStreamProvider provider = Provider();
        var stream = new StreamId(app, name);
        Action push = () => provider.CreatePushUrl(stream, _clock.GetUtcNow().AddHours(1));
        push.Should().Throw<ArgumentException>().WithMessage($"*'{bad}'*");
        Action play = () => provider.CreatePlayUrls(stream, _clock.GetUtcNow().AddHours(1));
        play.Should().Throw<ArgumentException>().WithMessage($"*'{bad}'*");
        Func<Task> state = () => provider.GetStreamStateAsync(stream);
        await state.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void Names_with_equals_and_hyphen_are_fine_and_renditions_follow_the_same_rule()
    {
        AliyunStreamProvider provider = Provider();
        provider.CreatePushUrl(new StreamId("a=b-c", "x_y=z"), _clock.GetUtcNow().AddHours(1)).Url.Should().StartWith("rtmp://push.example.com/a=b-c/x_y=z?auth_key=");
        Action rendition = () => provider.CreatePlayUrls(new StreamId("live", "s"), _clock.GetUtcNow().AddHours(1), new PlayUrlOptions { Rendition = "hd.v2" });
        rendition.Should().Throw<ArgumentException>().WithMessage("*hd.v2*");
    }

    [Fact]
    public void Random_rand_makes_each_url_unique_and_still_verifiable()
    {
        AliyunStreamProvider provider = Provider(o => o.RandomizeAuthRand = true);
        var stream = new StreamId("live", "room_1001");
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds(1714550400 + 86400 * 1000);
        string a = provider.CreatePushUrl(stream, expires).Url, b = provider.CreatePushUrl(stream, expires).Url;
        a.Should().NotBe(b);
        string token = a[(a.IndexOf("auth_key=", StringComparison.Ordinal) + 9)..];
        string[] parts = token.Split('-');
        parts[1].Should().MatchRegex("^[0-9a-f]{32}$");
        AliyunUrlSigner.CreateAuthKey("/live/room_1001", long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), "PushKey123456789", parts[1], parts[2]).Should().Be(token);
    }

    [Fact]
    public void A_longest_stream_name_signs_through_the_pooled_buffer_like_a_short_one()
    {
        // 256 characters: the hash input outgrows the stack buffer; the URL must still verify against the rule.
        var stream = new StreamId("live", new string('n', StreamId.MaxLength));
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds(1714550400 + 86400 * 1000);
        string url = Provider().CreatePushUrl(stream, expires).Url;
        string token = url[(url.IndexOf("auth_key=", StringComparison.Ordinal) + 9)..];
        AliyunUrlSigner.CreateAuthKey("/live/" + stream.Name, expires.ToUnixTimeSeconds(), "PushKey123456789").Should().Be(token);
    }

    [Fact]
    public void Signing_a_push_url_allocates_only_the_string()
    {
        AliyunStreamProvider provider = Provider();
        var stream = new StreamId("live", "room_1001");
        DateTimeOffset expires = _clock.GetUtcNow().AddHours(1);
        string url = provider.CreatePushUrl(stream, expires).Url;
        long stringBytes = 22 + (2L * url.Length);
        for (int i = 0; i < 10; i++)
        {
            provider.CreatePushUrl(stream, expires);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            provider.CreatePushUrl(stream, expires);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        perCall.Should().BeLessThanOrEqualTo(stringBytes + 8, "the URL string is the only allocation");
    }

    [Fact]
    public void Options_tostring_hides_secrets()
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        options.SecurityToken = "TOKEN-VALUE";
        string text = options.ToString();
        text.Should().Contain("testid").And.Contain("push.example.com");
        foreach (string secret in new[] { "testsecret", "PushKey123456789", "PlayKey0987654321", "CallbackKey1234567890", "TOKEN-VALUE" })
        {
            text.Should().NotContain(secret);
        }

        Provider().ToString().Should().NotContain("testsecret");
    }

    [Fact]
    public void Validation_names_every_bad_key()
    {
        var options = new AliyunOptions { PushDomain = "rtmp://push.example.com", AppName = "live.v2", Endpoint = new Uri("/relative", UriKind.Relative), CallbackMaxAge = TimeSpan.Zero };
        options.Resilience.MaxRetryAttempts = 99;
        var failures = new List<string>();
        options.Validate("LiveCloud:Aliyun", failures);
        failures.Should().Contain("LiveCloud:Aliyun:AccessKeyId is required.")
            .And.Contain("LiveCloud:Aliyun:AccessKeySecret is required.")
            .And.Contain("LiveCloud:Aliyun:PushKey is required.")
            .And.Contain("LiveCloud:Aliyun:PlayKey is required.")
            .And.Contain("LiveCloud:Aliyun:PlayDomain is required.");
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Aliyun:PushDomain is not a host name", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Aliyun:AppName", StringComparison.Ordinal) && f.Contains("live.v2"));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Aliyun:Endpoint", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Aliyun:CallbackMaxAge", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Aliyun:Resilience:MaxRetryAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddAliyun_binds_configuration_and_talks_to_the_endpoint()
    {
        await using AliyunLiveEmulator emulator = await AliyunTestSetup.StartEmulatorAsync(TimeProvider.System);
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Aliyun",
            ["LiveCloud:Aliyun:AccessKeyId"] = "testid",
            ["LiveCloud:Aliyun:AccessKeySecret"] = "testsecret",
            ["LiveCloud:Aliyun:PushDomain"] = "push.example.com",
            ["LiveCloud:Aliyun:PushKey"] = "PushKey123456789",
            ["LiveCloud:Aliyun:PlayDomain"] = "play.example.com",
            ["LiveCloud:Aliyun:PlayKey"] = "PlayKey0987654321",
            ["LiveCloud:Aliyun:SignatureVersion"] = "V1",
            ["LiveCloud:Aliyun:Endpoint"] = emulator.BaseAddress.ToString(),
            ["LiveCloud:Aliyun:Resilience:AttemptTimeout"] = "00:00:02",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddAliyun(o => o.AppName = "show");
        await using ServiceProvider sp = services.BuildServiceProvider();

        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Should().BeOfType<AliyunStreamProvider>();
        sp.GetRequiredKeyedService<IStreamProvider>("aliyun").Should().BeSameAs(provider);
        var options = (AliyunOptions)provider.GetService(typeof(AliyunOptions))!;
        options.SignatureVersion.Should().Be(AliyunSignatureVersion.V1);
        options.AppName.Should().Be("show");
        options.Resilience.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(2));
        provider.GetService(typeof(AliyunApiClient)).Should().BeSameAs(((AliyunStreamProvider)provider).Client);

        (await provider.ListDomainsAsync().ToListAsync()).Should().HaveCount(2);
        emulator.Server.Requests.Should().ContainSingle().Which.PathAndQuery.Should().Contain("Signature=");
    }

    [Fact]
    public void AddAliyun_reports_missing_keys_at_start_up()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Aliyun:AccessKeyId"] = "testid",
            ["LiveCloud:Aliyun:PushDomain"] = "push.example.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddAliyun();
        using ServiceProvider sp = services.BuildServiceProvider();
        Action resolve = () => sp.GetRequiredService<IStreamProvider>();
        OptionsValidationException e = resolve.Should().Throw<OptionsValidationException>().Which;
        e.Failures.Should().Contain("LiveCloud:Aliyun:AccessKeySecret is required.").And.Contain("LiveCloud:Aliyun:PlayDomain is required.");
    }

    [Theory]
    [InlineData("Throttling.User", 400, VendorErrorKind.Throttled)]
    [InlineData("Throttling.Api", 503, VendorErrorKind.Throttled)]
    [InlineData("Throttling", 400, VendorErrorKind.Throttled)]
    [InlineData("ServiceUnavailable", 503, VendorErrorKind.Transient)]
    [InlineData("InternalError", 500, VendorErrorKind.Transient)]
    [InlineData("SignatureNonceUsed", 400, VendorErrorKind.Transient)]
    [InlineData("SomethingNew", 502, VendorErrorKind.Transient)]
    [InlineData(null, 504, VendorErrorKind.Transient)]
    [InlineData("InvalidAccessKeyId.NotFound", 404, VendorErrorKind.Authentication)]
    [InlineData("InvalidAccessKeyId.Inactive", 400, VendorErrorKind.Authentication)]
    [InlineData("SignatureDoesNotMatch", 400, VendorErrorKind.Authentication)]
    [InlineData("SignatureDoesNotMatch", 403, VendorErrorKind.Authentication)]
    [InlineData("IncompleteSignature", 400, VendorErrorKind.Authentication)]
    [InlineData("Forbidden.RAM", 403, VendorErrorKind.Authentication)]
    [InlineData("InvalidTimeStamp.Expired", 400, VendorErrorKind.Authentication)]
    [InlineData("InvalidDomain.NotFound", 404, VendorErrorKind.NotFound)]
    [InlineData("InvalidApi.NotFound", 404, VendorErrorKind.NotFound)]
    [InlineData("MissingDomainName", 400, VendorErrorKind.Failed)]
    [InlineData("InvalidParameter", 400, VendorErrorKind.Failed)]
    public void Error_codes_are_classified_by_code(string? code, int status, VendorErrorKind kind) =>
        AliyunErrors.Classify(code, (System.Net.HttpStatusCode)status).Should().Be(kind);
}
