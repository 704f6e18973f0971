using LiveCloud.Tencent.Im;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Tencent.Tests.Im;

/// <summary><c>Chat:Tencent</c> binding, validation and registration.</summary>
public sealed class TencentImOptionsTests
{
    private static Dictionary<string, string?> Complete() => new()
    {
        ["LiveCloud:Provider"] = "Tencent",
        ["LiveCloud:Tencent:SecretId"] = "AKIDxxxxxxxx",
        ["LiveCloud:Tencent:SecretKey"] = "live-secret",
        ["LiveCloud:Tencent:PushDomain"] = "push.example.com",
        ["LiveCloud:Tencent:PushKey"] = "push-secret",
        ["LiveCloud:Tencent:PlayDomain"] = "play.example.com",
        ["LiveCloud:Tencent:PlayKey"] = "play-secret",
        ["Chat:Tencent:SdkAppId"] = "1400123456",
        ["Chat:Tencent:SecretKey"] = "im-super-secret-key",
        ["Chat:Tencent:AdminIdentifier"] = "administrator",
        ["Chat:Tencent:Endpoint"] = "http://127.0.0.1:9/",
        ["Chat:Tencent:UserSigExpiry"] = "2.00:00:00",
    };

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddTencent().AddTencentIm(config.GetSection(TencentImOptions.SectionName));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddTencentIm_binds_Chat_Tencent_and_registers_the_client()
    {
        using ServiceProvider sp = Build(Complete());
        TencentImClient client = sp.GetRequiredService<TencentImClient>();
        client.SdkAppId.Should().Be(1400123456);
        client.AdminIdentifier.Should().Be("administrator");
        client.UserSigExpiry.Should().Be(TimeSpan.FromDays(2));
        client.ToString().Should().NotContain("im-super-secret-key");
        sp.GetRequiredService<IOptions<TencentImOptions>>().Value.ToString().Should().NotContain("im-super-secret-key").And.Contain("administrator");
    }

    [Fact]
    public void Without_the_section_chat_is_not_registered()
    {
        Dictionary<string, string?> values = Complete();
        foreach (string key in values.Keys.Where(k => k.StartsWith("Chat:", StringComparison.Ordinal)).ToList())
        {
            values.Remove(key);
        }

        using ServiceProvider sp = Build(values);
        sp.GetService<TencentImClient>().Should().BeNull();
    }

    [Fact]
    public void Missing_and_bad_keys_are_reported_with_their_full_names_and_no_secret()
    {
        Dictionary<string, string?> values = Complete();
        values.Remove("Chat:Tencent:SdkAppId");
        values.Remove("Chat:Tencent:AdminIdentifier");
        values["Chat:Tencent:Endpoint"] = "/relative";
        values["Chat:Tencent:UserSigExpiry"] = "00:00:10";
        values["Chat:Tencent:Resilience:MaxRetryAttempts"] = "99";
        using ServiceProvider sp = Build(values);
        Action resolve = () => sp.GetRequiredService<IOptions<TencentImOptions>>().Value.ToString();
        OptionsValidationException ex = resolve.Should().Throw<OptionsValidationException>().Which;
        ex.Failures.Should().Contain(f => f.StartsWith("Chat:Tencent:SdkAppId is required", StringComparison.Ordinal));
        ex.Failures.Should().Contain(f => f.StartsWith("Chat:Tencent:AdminIdentifier is required", StringComparison.Ordinal));
        ex.Failures.Should().Contain(f => f.StartsWith("Chat:Tencent:Endpoint must be", StringComparison.Ordinal));
        ex.Failures.Should().Contain(f => f.StartsWith("Chat:Tencent:UserSigExpiry must be", StringComparison.Ordinal));
        ex.Failures.Should().Contain(f => f.StartsWith("Chat:Tencent:Resilience:MaxRetryAttempts", StringComparison.Ordinal));
        ex.Message.Should().NotContain("im-super-secret-key");

        var failures = new List<string>();
        new TencentImOptions { SdkAppId = 1, SecretKey = " ", AdminIdentifier = "bad admin" }.Validate("Chat:Tencent", failures);
        failures.Should().Contain("Chat:Tencent:SecretKey is required.");
        failures.Should().Contain(f => f.StartsWith("Chat:Tencent:AdminIdentifier 'bad admin' must be", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(70001, VendorErrorKind.Authentication)]
    [InlineData(60010, VendorErrorKind.Authentication)]
    [InlineData(10006, VendorErrorKind.Throttled)]
    [InlineData(10023, VendorErrorKind.Throttled)]
    [InlineData(10002, VendorErrorKind.Transient)]
    [InlineData(10010, VendorErrorKind.NotFound)]
    [InlineData(10015, VendorErrorKind.NotFound)]
    [InlineData(10021, VendorErrorKind.Failed)]
    [InlineData(10004, VendorErrorKind.Failed)]
    public void Error_codes_are_classified(int code, VendorErrorKind kind) => TencentImErrors.Classify(code).Should().Be(kind);
}
