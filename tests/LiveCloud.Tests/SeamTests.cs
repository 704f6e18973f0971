using LiveCloud.Testing.Fakes;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LiveCloud.Diagnostics;
using LiveCloud.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tests;

/// <summary>The middleware seam: delegating providers, the builder's Use hook, GetService through decorators, and the two shipped decorators.</summary>
public sealed class SeamTests
{
    private const string Key = "seam-signing-key-0123456789";
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private static readonly StreamId Stream = new("live", "seam_1");

    private static ServiceProvider Build(Action<LiveCloudBuilder> configure, ILoggerProvider? logs = null, Dictionary<string, string?>? settings = null)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new()
        {
            ["LiveCloud:Sample:Host"] = "push.example.com",
            ["LiveCloud:Sample:Key"] = Key,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddMetrics();
        services.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        configure(services.AddLiveCloud(config.GetSection("LiveCloud")).AddSample());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private sealed class Tagging(IStreamProvider inner, string tag, List<string> calls) : DelegatingStreamProvider(inner)
    {
        public string Tag { get; } = tag;

        public override PushUrl CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol = StreamProtocol.Rtmp)
        {
            calls.Add(Tag);
            return base.CreatePushUrl(stream, expiresAt, protocol);
        }
    }

    [Fact]
    public void Use_wraps_every_provider_and_the_first_added_is_outermost()
    {
        var calls = new List<string>();
        using ServiceProvider sp = Build(b => b.Use(p => new Tagging(p, "outer", calls)).Use(p => new Tagging(p, "inner", calls)));
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Should().BeOfType<Tagging>().Which.Tag.Should().Be("outer");
        sp.GetRequiredKeyedService<IStreamProvider>("sample").Should().BeSameAs(provider, "the keyed, default and named look-ups give the one decorated singleton");
        sp.GetRequiredService<StreamProviders>().Get("SAMPLE").Should().BeSameAs(provider);

        PushUrl url = provider.CreatePushUrl(Stream, Clock.GetUtcNow().AddHours(1));
        calls.Should().Equal("outer", "inner");
        url.Url.Should().Be(sp.GetRequiredKeyedService<SampleProvider>("Sample").CreatePushUrl(Stream, Clock.GetUtcNow().AddHours(1)).Url, "decorators pass the call through unchanged");
    }

    [Fact]
    public void GetService_reaches_the_vendor_provider_and_its_options_through_decorators()
    {
        using ServiceProvider sp = Build(b => b.UseLogging().UseOpenTelemetry());
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Should().BeOfType<LoggingStreamProvider>();
        provider.GetService<OpenTelemetryStreamProvider>().Should().NotBeNull();
        SampleProvider sample = provider.GetRequiredService<SampleProvider>();
        sample.Options.Host.Should().Be("push.example.com");
        provider.GetService<string>().Should().BeNull();
        Action missing = () => provider.GetRequiredService<Uri>();
        missing.Should().Throw<InvalidOperationException>().WithMessage("*Sample provider has no Uri*");
    }

    [Fact]
    public void A_delegating_provider_forwards_every_member_of_the_contract()
    {
        // Each IStreamProvider member must be overridable: a decorator that forgets one silently skips its work.
        string[] members = [.. typeof(IStreamProvider).GetMethods().Select(m => m.Name)];
        string[] virtuals = [.. typeof(DelegatingStreamProvider).GetMethods().Where(m => m.IsVirtual && !m.IsFinal && m.DeclaringType == typeof(DelegatingStreamProvider)).Select(m => m.Name)];
        virtuals.Should().Contain(members);

        var inner = new SampleProvider("Inner", new SampleOptions { Host = "h", Key = Key }, Clock);
        var plain = new Tagging(inner, "t", []);
        plain.Name.Should().Be("Inner");
        plain.Capabilities.Should().BeSameAs(inner.Capabilities);
        plain.CreatePlayUrls(Stream, Clock.GetUtcNow().AddHours(1)).Should().BeEquivalentTo(inner.CreatePlayUrls(Stream, Clock.GetUtcNow().AddHours(1)));
        Action unsupported = () => plain.ListDomainsAsync();
        unsupported.Should().Throw<NotSupportedException>().WithMessage("*Inner provider does not support domains*");
    }

    [Fact]
    public async Task Logging_decorator_logs_operations_and_failures_without_the_signed_url()
    {
        var logs = new FakeLoggerProvider();
        using ServiceProvider sp = Build(b => b.UseLogging(), logs);
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        PushUrl url = provider.CreatePushUrl(Stream, Clock.GetUtcNow().AddHours(1));
        Func<Task> state = () => provider.GetStreamStateAsync(Stream);
        await state.Should().ThrowAsync<NotSupportedException>();

        IReadOnlyList<FakeLogRecord> records = logs.Collector.GetSnapshot();
        records.Should().Contain(r => r.Level == LogLevel.Trace && r.Message.Contains("signed 1 push URL", StringComparison.Ordinal));
        records.Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains("Sample GetStreamState failed", StringComparison.Ordinal) && r.Message.Contains("NotSupportedException", StringComparison.Ordinal));
        string all = string.Join("\n", records.Select(r => r.Message));
        all.Should().NotContain(url.Url).And.NotContain(url.StreamKey).And.NotContain(Key);
        records.Should().OnlyContain(r => r.Category == "LiveCloud.Providers.Sample");
    }

    [Fact]
    public async Task OpenTelemetry_decorator_emits_spans_and_metrics()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == LiveCloudDiagnostics.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using ServiceProvider sp = Build(b => b.UseOpenTelemetry());
        IMeterFactory meters = sp.GetRequiredService<IMeterFactory>();
        using var signed = new MetricCollector<long>(meters, LiveCloudDiagnostics.MeterName, "livecloud.urls.signed");
        using var operations = new MetricCollector<long>(meters, LiveCloudDiagnostics.MeterName, "livecloud.operations");
        using var duration = new MetricCollector<double>(meters, LiveCloudDiagnostics.MeterName, "livecloud.operation.duration");

        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.CreatePushUrl(Stream, Clock.GetUtcNow().AddHours(1));
        provider.CreatePlayUrls(Stream, Clock.GetUtcNow().AddHours(1));
        Func<Task> state = () => provider.GetStreamStateAsync(Stream);
        await state.Should().ThrowAsync<NotSupportedException>();

        signed.GetMeasurementSnapshot().Select(m => (m.Value, (string?)m.Tags["livecloud.url.purpose"])).Should().BeEquivalentTo(new[] { (1L, "push"), (2L, "play") });
        signed.GetMeasurementSnapshot().Should().OnlyContain(m => (string?)m.Tags["livecloud.provider"] == "Sample");
        CollectedMeasurement<long> failed = operations.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        failed.Tags["livecloud.operation"].Should().Be("GetStreamState");
        failed.Tags["livecloud.outcome"].Should().Be("error");
        failed.Tags["error.type"].Should().Be(nameof(NotSupportedException));
        duration.GetMeasurementSnapshot().Should().ContainSingle().Which.Value.Should().BeGreaterThanOrEqualTo(0);

        Activity span = spans.Should().ContainSingle(a => a.DisplayName == "Sample GetStreamState").Subject;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.GetTagItem("livecloud.stream").Should().Be("live/seam_1");
    }

    [Fact]
    public void Two_providers_of_one_type_sit_side_by_side_under_their_section_names()
    {
        using ServiceProvider sp = Build(_ => { }, settings: new()
        {
            ["LiveCloud:Provider"] = "backup",
            ["LiveCloud:Sample:Host"] = "a.example.com",
            ["LiveCloud:Sample:Key"] = "k1",
            ["LiveCloud:Backup:Type"] = "Sample",
            ["LiveCloud:Backup:Host"] = "b.example.com",
            ["LiveCloud:Backup:Key"] = "k2",
        });
        sp.GetRequiredService<StreamProviders>().Names.Should().Equal("Backup", "Sample");
        IStreamProvider backup = sp.GetRequiredService<IStreamProvider>();
        backup.Name.Should().Be("Backup");
        backup.GetRequiredService<SampleProvider>().Options.Host.Should().Be("b.example.com");
        sp.GetRequiredKeyedService<IStreamProvider>("sample").GetRequiredService<SampleProvider>().Options.Host.Should().Be("a.example.com");
    }

    [Fact]
    public void A_second_provider_of_one_type_is_validated_under_its_own_section()
    {
        using ServiceProvider sp = Build(_ => { }, settings: new()
        {
            ["LiveCloud:Provider"] = "Sample",
            ["LiveCloud:Sample:Host"] = "a.example.com",
            ["LiveCloud:Sample:Key"] = "k1",
            ["LiveCloud:Backup:Type"] = "Sample",
            ["LiveCloud:Backup:Host"] = "b.example.com",
        });
        Action start = () => sp.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*LiveCloud:Backup:Key is required.*");
    }
}
