using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Tencent.Tests;

public sealed class ErrorAndOptionsTests
{
    [Theory]
    [InlineData("RequestLimitExceeded", VendorErrorKind.Throttled)]
    [InlineData("RequestLimitExceeded.UinLimitExceeded", VendorErrorKind.Throttled)]
    [InlineData("RequestLimitExceeded.GlobalRegionUinLimitExceeded", VendorErrorKind.Throttled)]
    [InlineData("LimitExceeded.RateLimitExceeded", VendorErrorKind.Throttled)]
    [InlineData("LimitExceeded.MaximumRunningTask", VendorErrorKind.Failed)]
    [InlineData("InternalError", VendorErrorKind.Transient)]
    [InlineData("InternalError.SystemError", VendorErrorKind.Transient)]
    [InlineData("InternalError.DBError", VendorErrorKind.Transient)]
    [InlineData("FailedOperation.DomainGslbFail", VendorErrorKind.Transient)]
    [InlineData("InternalError.InvalidInput", VendorErrorKind.Failed)]
    [InlineData("InternalError.DomainAlreadyExist", VendorErrorKind.Failed)]
    [InlineData("InternalError.DomainNotExist", VendorErrorKind.NotFound)]
    [InlineData("AuthFailure.SignatureFailure", VendorErrorKind.Authentication)]
    [InlineData("AuthFailure.SignatureExpire", VendorErrorKind.Authentication)]
    [InlineData("ResourceNotFound.TaskId", VendorErrorKind.NotFound)]
    [InlineData("ResourceNotFound.DomainNotExist", VendorErrorKind.NotFound)]
    [InlineData("FailedOperation.StreamNotExist", VendorErrorKind.NotFound)]
    [InlineData("ResourceUnavailable.StreamNotExist", VendorErrorKind.NotFound)]
    [InlineData("InvalidParameter.InvalidTaskTime", VendorErrorKind.Failed)]
    [InlineData("UnauthorizedOperation", VendorErrorKind.Failed)]
    public void Codes_are_classified(string code, VendorErrorKind kind) => TencentErrors.Classify(code).Should().Be(kind);

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Dictionary<string, string?> Complete() => new()
    {
        ["LiveCloud:Provider"] = "Tencent",
        ["LiveCloud:Tencent:SecretId"] = TencentApiEmulator.SecretId,
        ["LiveCloud:Tencent:SecretKey"] = "super-secret-key",
        ["LiveCloud:Tencent:PushDomain"] = "push.example.com",
        ["LiveCloud:Tencent:PushKey"] = "push-secret-key",
        ["LiveCloud:Tencent:PlayDomain"] = "play.example.com",
        ["LiveCloud:Tencent:PlayKey"] = "play-secret-key",
        ["LiveCloud:Tencent:CallbackKey"] = "callback-secret-key",
        ["LiveCloud:Tencent:Endpoint"] = "http://127.0.0.1:9/",
    };

    private static ServiceProvider Build(Dictionary<string, string?> values, Action<TencentOptions>? configure = null)
    {
        var services = new ServiceCollection();
        IConfiguration config = Config(values);
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddTencent(configure);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddTencent_binds_the_section_and_registers_the_keyed_provider()
    {
        using ServiceProvider sp = Build(Complete());
        var provider = (TencentStreamProvider)sp.GetRequiredKeyedService<IStreamProvider>("Tencent");
        sp.GetRequiredService<IStreamProvider>().Should().BeSameAs(provider);
        provider.Options.AppName.Should().Be("live");
        provider.Options.Endpoint.Should().Be(new Uri("http://127.0.0.1:9/"));
        provider.GetService(typeof(TencentApiClient)).Should().BeSameAs(provider.Client);
        provider.Capabilities.Supports(ProviderFeatures.Callbacks).Should().BeTrue();
        provider.Stream("room").Should().Be(new StreamId("live", "room"));
    }

    [Fact]
    public void Missing_and_bad_keys_are_reported_with_their_full_names()
    {
        Dictionary<string, string?> values = Complete();
        values.Remove("LiveCloud:Tencent:SecretKey");
        values["LiveCloud:Tencent:PlayDomain"] = "https://play.example.com";
        values["LiveCloud:Tencent:Resilience:MaxRetryAttempts"] = "99";
        using ServiceProvider sp = Build(values);
        Action resolve = () => sp.GetRequiredService<IOptionsMonitor<TencentOptions>>().Get("Tencent");
        OptionsValidationException ex = resolve.Should().Throw<OptionsValidationException>().Which;
        ex.Failures.Should().Contain("LiveCloud:Tencent:SecretKey is required.");
        ex.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Tencent:PlayDomain is not a host name", StringComparison.Ordinal));
        ex.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Tencent:Resilience:MaxRetryAttempts", StringComparison.Ordinal));
        ex.Message.Should().NotContain("push-secret-key").And.NotContain("play-secret-key");
    }

    [Fact]
    public void Backup_keys_are_required_when_chosen()
    {
        var failures = new List<string>();
        TencentTestSetup.Options(new Uri("http://127.0.0.1:9/"), o => o.UseBackupKeys = true).Validate("LiveCloud:Tencent", failures);
        failures.Should().Contain("LiveCloud:Tencent:BackupPushKey is required when LiveCloud:Tencent:UseBackupKeys is true.");
    }

    [Fact]
    public void Secrets_never_appear_in_ToString()
    {
        using ServiceProvider sp = Build(Complete(), o => o.SessionToken = "sts-secret-token");
        var provider = (TencentStreamProvider)sp.GetRequiredKeyedService<IStreamProvider>("Tencent");
        string text = provider.Options.ToString() + provider + provider.Client + provider.UrlSigner;
        foreach (string secret in new[] { "super-secret-key", "push-secret-key", "play-secret-key", "callback-secret-key", "sts-secret-token" })
        {
            text.Should().NotContain(secret);
        }

        text.Should().Contain("push.example.com");
    }

    /// <summary>A test double: the client's operations are virtual, so a provider can run without any vendor.</summary>
    private sealed class ForbiddenEverywhere : TencentApiClient
    {
        public override string ProviderName => "tencent-test";

        public override Task<StreamStatus> DescribeLiveStreamStateAsync(StreamId stream, CancellationToken cancellationToken = default) =>
            Task.FromResult(StreamStatus.Forbidden);
    }

    [Fact]
    public async Task The_provider_runs_over_a_test_double_of_its_API_client()
    {
        var provider = new TencentStreamProvider(TencentTestSetup.Options(new Uri("http://127.0.0.1:9/")), new ForbiddenEverywhere(), null, null);
        provider.Name.Should().Be("tencent-test", "the provider takes its registered name from its client");
        (await provider.GetStreamStateAsync(new StreamId("live", "a"))).Status.Should().Be(StreamStatus.Forbidden);
        Func<Task> notOverridden = () => provider.ForbidStreamAsync(new StreamId("live", "a"));
        (await notOverridden.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*test double*");
    }
}
