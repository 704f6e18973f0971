using System.Diagnostics.Metrics;
using LiveCloud.Diagnostics;
using LiveCloud.MultiCloud;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tests.MultiCloud;

/// <summary>Members' health: N failures in a row mark down, M successes in a row mark up, each change raised once.</summary>
public class HealthMonitorTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));

    private ProviderHealthMonitor Monitor(int down = 3, int up = 3, IMeterFactory? meters = null) =>
        new("Show", ["A", "B"], new ProviderHealthOptions { FailuresToMarkDown = down, SuccessesToMarkUp = up }, _clock, meters);

    [Fact]
    public void Members_start_up_and_fewer_failures_in_a_row_than_the_threshold_change_nothing()
    {
        ProviderHealthMonitor monitor = Monitor();
        var changes = new List<ProviderHealthChangedEventArgs>();
        monitor.HealthChanged += (_, e) => changes.Add(e);

        monitor.Providers.Should().OnlyContain(h => h.IsUp);
        monitor.ReportFailure("A", HealthSignal.Probe, "refused");
        monitor.ReportFailure("A", HealthSignal.Probe, "refused");
        monitor.ReportSuccess("A", HealthSignal.Probe);
        monitor.ReportFailure("A", HealthSignal.Probe, "refused");
        monitor.ReportFailure("A", HealthSignal.Api, "timeout");

        monitor.IsUp("A").Should().BeTrue("a success broke the streak: two failures, then two");
        monitor.Get("A").ConsecutiveFailures.Should().Be(2);
        changes.Should().BeEmpty();
    }

    [Fact]
    public void Three_failures_in_a_row_mark_down_once_and_three_successes_mark_up_once()
    {
        ProviderHealthMonitor monitor = Monitor();
        var changes = new List<ProviderHealthChangedEventArgs>();
        monitor.HealthChanged += (_, e) => changes.Add(e);

        monitor.ReportFailure("A", HealthSignal.Probe, "HLS playlist of live live/x: ConnectionRefused");
        DateTimeOffset firstFailure = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(1));
        monitor.ReportFailure("A", HealthSignal.Api, "LiveCloudException", "timeout").Should().BeNull();
        _clock.Advance(TimeSpan.FromSeconds(1));
        ProviderHealthChangedEventArgs? down = monitor.ReportFailure("A", HealthSignal.Probe, "RTMP ingest connection: ConnectionRefused", "refused");
        monitor.ReportFailure("A", HealthSignal.Probe, "again").Should().BeNull("already down");

        down.Should().NotBeNull();
        down!.Health.Should().Match<ProviderHealth>(h => h.State == ProviderHealthState.Down && h.Since == firstFailure.AddSeconds(2) && h.FailingSince == firstFailure);
        down.Reason.Should().Contain("3 failed checks in a row").And.Contain("RTMP ingest connection");
        monitor.IsUp("B").Should().BeTrue("members are judged apart");

        monitor.ReportSuccess("A", HealthSignal.Probe);
        monitor.ReportSuccess("A", HealthSignal.Callback);
        monitor.ReportFailure("A", HealthSignal.Probe, "flap");
        monitor.ReportSuccess("A", HealthSignal.Probe);
        monitor.ReportSuccess("A", HealthSignal.Probe);
        monitor.IsUp("A").Should().BeFalse("one flap restarts the count: hysteresis");
        _clock.Advance(TimeSpan.FromSeconds(10));
        monitor.ReportSuccess("A", HealthSignal.Api);

        monitor.IsUp("A").Should().BeTrue();
        changes.Select(c => c.Health.State).Should().Equal(ProviderHealthState.Down, ProviderHealthState.Up);
        changes[1].Health.Since.Should().Be(_clock.GetUtcNow());
        changes[1].Health.FailingSince.Should().BeNull();
        changes[1].Reason.Should().Contain("3 successful checks in a row");
    }

    [Fact]
    public void Thresholds_of_one_change_on_the_first_observation()
    {
        ProviderHealthMonitor monitor = Monitor(down: 1, up: 1);
        monitor.ReportFailure("B", HealthSignal.Probe, "x").Should().NotBeNull();
        monitor.ReportSuccess("B", HealthSignal.Probe).Should().NotBeNull();
    }

    [Fact]
    public void An_unknown_member_is_refused_naming_the_members()
    {
        ProviderHealthMonitor monitor = Monitor();
        Action act = () => monitor.ReportSuccess("C", HealthSignal.Probe);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "provider" && e.Message.Contains("'C'") && e.Message.Contains("A, B"));
    }

    [Fact]
    public void Observations_changes_and_up_state_are_metered_on_the_LiveCloud_meter()
    {
        using ServiceProvider sp = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory meters = sp.GetRequiredService<IMeterFactory>();
        using var observations = new MetricCollector<long>(meters, LiveCloudDiagnostics.MeterName, "livecloud.multicloud.health.observations");
        using var changes = new MetricCollector<long>(meters, LiveCloudDiagnostics.MeterName, "livecloud.multicloud.health.changes");
        using var up = new MetricCollector<int>(meters, LiveCloudDiagnostics.MeterName, "livecloud.multicloud.provider.up");
        ProviderHealthMonitor monitor = Monitor(down: 2, meters: meters);

        monitor.ReportFailure("A", HealthSignal.Api, "throttled", "RequestLimitExceeded");
        monitor.ReportFailure("A", HealthSignal.Probe, "refused", "refused");
        monitor.ReportSuccess("B", HealthSignal.Callback);
        up.RecordObservableInstruments();

        observations.GetMeasurementSnapshot().Should().HaveCount(3);
        observations.GetMeasurementSnapshot()[0].Tags.Should().Contain(new KeyValuePair<string, object?>("error.type", "RequestLimitExceeded"))
            .And.Contain(new KeyValuePair<string, object?>("livecloud.health.signal", "api"))
            .And.Contain(new KeyValuePair<string, object?>("livecloud.provider", "A"));
        changes.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags.Should().Contain(new KeyValuePair<string, object?>("livecloud.health.state", "down"));
        up.GetMeasurementSnapshot().Select(m => (m.Tags["livecloud.provider"], m.Value)).Should().BeEquivalentTo([((object?)"A", 0), ((object?)"B", 1)]);
    }
}
