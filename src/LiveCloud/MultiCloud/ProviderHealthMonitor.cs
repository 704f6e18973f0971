using System.Diagnostics.Metrics;
using LiveCloud.Diagnostics;

namespace LiveCloud.MultiCloud;

/// <summary>Whether a member is taking pushes and delivering.</summary>
public enum ProviderHealthState
{
    /// <summary>Healthy (every member starts so, until checks fail).</summary>
    Up,

    /// <summary>Marked down after <see cref="ProviderHealthOptions.FailuresToMarkDown"/> failed checks in a row.</summary>
    Down,
}

/// <summary>Where a health observation came from.</summary>
public enum HealthSignal
{
    /// <summary>An active check: a live stream's playlist or FLV bytes, a TCP connection to the ingest, or an API read.</summary>
    Probe,

    /// <summary>The outcome of a vendor API call made through the member (a transient failure, an open circuit, or an answer).</summary>
    Api,

    /// <summary>A verified callback from the member: its machinery is alive.</summary>
    Callback,
}

/// <summary>One member's health as a multi-cloud provider sees it.</summary>
/// <param name="Provider">The member's name.</param>
/// <param name="State">Up or down.</param>
/// <param name="Since">When it entered <paramref name="State"/> (start-up for a member never marked).</param>
/// <param name="ConsecutiveFailures">Failed observations in a row (0 after a success).</param>
/// <param name="ConsecutiveSuccesses">Successful observations in a row (0 after a failure).</param>
/// <param name="LastFailure">What last failed, in a sentence (never a URL: they carry signatures).</param>
/// <param name="LastObservedAt">When the last observation came, of any source.</param>
public sealed record ProviderHealth(
    string Provider,
    ProviderHealthState State,
    DateTimeOffset Since,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses,
    string? LastFailure,
    DateTimeOffset? LastObservedAt)
{
    /// <summary>Whether <see cref="State"/> is <see cref="ProviderHealthState.Up"/>.</summary>
    public bool IsUp => State == ProviderHealthState.Up;

    /// <summary>When the failures that marked it down began (the first of the streak), while it is failing.</summary>
    public DateTimeOffset? FailingSince { get; init; }
}

/// <summary>A member was marked down or up (<see cref="ProviderHealthMonitor.HealthChanged"/>).</summary>
/// <param name="health">The member's health after the change.</param>
/// <param name="reason">Why, in a sentence.</param>
public sealed class ProviderHealthChangedEventArgs(ProviderHealth health, string reason) : EventArgs
{
    /// <summary>The member's health after the change; <see cref="ProviderHealth.Since"/> is when it changed.</summary>
    public ProviderHealth Health { get; } = health;

    /// <summary>Why, e.g. <c>3 failed checks in a row; the last: connection refused</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Judges the health of a multi-cloud provider's members from what can be observed: active checks, vendor API outcomes
/// and callbacks, all counted together. A member starts up; <see cref="ProviderHealthOptions.FailuresToMarkDown"/> failed
/// observations in a row mark it down, <see cref="ProviderHealthOptions.SuccessesToMarkUp"/> successful ones in a row mark
/// it up again (hysteresis: one lucky answer does not bring back a flapping cloud, one timeout does not fail a healthy one).
/// Changes are raised as <see cref="HealthChanged"/> and counted on the <c>LiveCloud</c> meter.
/// </summary>
/// <remarks>
/// Instruments (meter <c>LiveCloud</c>; tags <c>livecloud.multicloud</c> = the composite, <c>livecloud.provider</c> = the member):
/// <c>livecloud.multicloud.provider.up</c> (observable gauge, 1 up, 0 down); <c>livecloud.multicloud.health.changes</c>
/// (counter; <c>livecloud.health.state</c>); <c>livecloud.multicloud.health.observations</c> (counter; <c>livecloud.health.signal</c>,
/// <c>livecloud.outcome</c> = success | failure, <c>error.type</c> = the vendor code or what failed).
/// </remarks>
public sealed class ProviderHealthMonitor
{
    private readonly ProviderHealthOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _composite;
    private readonly Dictionary<string, ProviderHealth> _health = new(StringComparer.OrdinalIgnoreCase);
    private readonly string[] _order;
    private readonly object _lock = new();
    private readonly Counter<long> _changes;
    private readonly Counter<long> _observations;

    /// <summary>Creates the monitor; every member starts up.</summary>
    /// <param name="composite">The multi-cloud provider's name, for metrics and messages.</param>
    /// <param name="providers">The members' names.</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="timeProvider">The clock of <see cref="ProviderHealth.Since"/>; the system clock when <see langword="null"/>.</param>
    /// <param name="meterFactory">Where the <c>LiveCloud</c> meter comes from; a meter of its own when <see langword="null"/>.</param>
    public ProviderHealthMonitor(string composite, IEnumerable<string> providers, ProviderHealthOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(composite);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(options);
        _composite = composite;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _order = [.. providers];
        DateTimeOffset now = _timeProvider.GetUtcNow();
        foreach (string provider in _order)
        {
            _health[provider] = new ProviderHealth(provider, ProviderHealthState.Up, now, 0, 0, null, null);
        }

        Meter meter = meterFactory?.Create(LiveCloudDiagnostics.MeterName) ?? new Meter(LiveCloudDiagnostics.MeterName);
        _changes = meter.CreateCounter<long>("livecloud.multicloud.health.changes", "{change}", "Members of a multi-cloud provider marked down or up.");
        _observations = meter.CreateCounter<long>("livecloud.multicloud.health.observations", "{observation}", "Health observations of multi-cloud members by signal, outcome and error.");
        meter.CreateObservableGauge("livecloud.multicloud.provider.up", ObserveUp, "{provider}", "1 while a multi-cloud member is up, 0 while it is down.");
    }

    /// <summary>
    /// Raised when a member is marked down or up, on the thread that made the observation; handlers should queue work and
    /// return. Never raised twice for one change.
    /// </summary>
    public event EventHandler<ProviderHealthChangedEventArgs>? HealthChanged;

    /// <summary>Every member's health, in the configured order.</summary>
    public IReadOnlyList<ProviderHealth> Providers
    {
        get
        {
            lock (_lock)
            {
                return [.. _order.Select(p => _health[p])];
            }
        }
    }

    /// <summary>The thresholds.</summary>
    public ProviderHealthOptions Options => _options;

    /// <summary>One member's health.</summary>
    /// <param name="provider">The member's name (any letter case).</param>
    /// <exception cref="ArgumentException">Not a member.</exception>
    public ProviderHealth Get(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (_lock)
        {
            return _health.TryGetValue(provider, out ProviderHealth? health)
                ? health
                : throw new ArgumentException($"'{provider}' is not a member of {_composite} (members: {string.Join(", ", _order)}).", nameof(provider));
        }
    }

    /// <summary>Whether the member is up.</summary>
    /// <param name="provider">The member's name.</param>
    public bool IsUp(string provider) => Get(provider).IsUp;

    /// <summary>Counts a successful observation of <paramref name="provider"/>.</summary>
    /// <param name="provider">The member.</param>
    /// <param name="signal">Where it came from.</param>
    /// <returns>The change it caused (the member marked up), or <see langword="null"/>.</returns>
    public ProviderHealthChangedEventArgs? ReportSuccess(string provider, HealthSignal signal) => Observe(provider, signal, null, null);

    /// <summary>Counts a failed observation of <paramref name="provider"/>.</summary>
    /// <param name="provider">The member.</param>
    /// <param name="signal">Where it came from.</param>
    /// <param name="reason">What failed, in a sentence (no URL).</param>
    /// <param name="errorType">A short code for metrics (the vendor's error code, <c>timeout</c>, <c>refused</c>…).</param>
    /// <returns>The change it caused (the member marked down), or <see langword="null"/>.</returns>
    public ProviderHealthChangedEventArgs? ReportFailure(string provider, HealthSignal signal, string reason, string? errorType = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Observe(provider, signal, reason, errorType ?? "failure");
    }

    private ProviderHealthChangedEventArgs? Observe(string provider, HealthSignal signal, string? failure, string? errorType)
    {
        ArgumentNullException.ThrowIfNull(provider);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        ProviderHealthChangedEventArgs? change = null;
        lock (_lock)
        {
            if (!_health.TryGetValue(provider, out ProviderHealth? h))
            {
                throw new ArgumentException($"'{provider}' is not a member of {_composite} (members: {string.Join(", ", _order)}).", nameof(provider));
            }

            ProviderHealth next;
            if (failure is null)
            {
                next = h with { ConsecutiveFailures = 0, ConsecutiveSuccesses = h.ConsecutiveSuccesses + 1, LastObservedAt = now, FailingSince = h.IsUp ? null : h.FailingSince };
                if (!h.IsUp && next.ConsecutiveSuccesses >= _options.SuccessesToMarkUp)
                {
                    next = next with { State = ProviderHealthState.Up, Since = now, FailingSince = null };
                    change = new ProviderHealthChangedEventArgs(next, $"{next.ConsecutiveSuccesses} successful checks in a row after {Describe(now - h.Since)} down");
                }
            }
            else
            {
                next = h with
                {
                    ConsecutiveFailures = h.ConsecutiveFailures + 1,
                    ConsecutiveSuccesses = 0,
                    LastFailure = failure,
                    LastObservedAt = now,
                    FailingSince = h.ConsecutiveFailures == 0 && h.IsUp ? now : h.FailingSince ?? now,
                };
                if (h.IsUp && next.ConsecutiveFailures >= _options.FailuresToMarkDown)
                {
                    next = next with { State = ProviderHealthState.Down, Since = now };
                    change = new ProviderHealthChangedEventArgs(next, $"{next.ConsecutiveFailures} failed checks in a row; the last: {failure}");
                }
            }

            _health[provider] = next;
        }

        var providerTag = new KeyValuePair<string, object?>("livecloud.provider", provider);
        var compositeTag = new KeyValuePair<string, object?>("livecloud.multicloud", _composite);
        _observations.Add(
            1,
            compositeTag,
            providerTag,
            new("livecloud.health.signal", signal switch { HealthSignal.Probe => "probe", HealthSignal.Api => "api", _ => "callback" }),
            new("livecloud.outcome", failure is null ? "success" : "failure"),
            new("error.type", errorType));
        if (change is not null)
        {
            _changes.Add(1, compositeTag, providerTag, new("livecloud.health.state", change.Health.IsUp ? "up" : "down"));
            HealthChanged?.Invoke(this, change);
        }

        return change;
    }

    private IEnumerable<Measurement<int>> ObserveUp()
    {
        foreach (ProviderHealth h in Providers)
        {
            yield return new Measurement<int>(h.IsUp ? 1 : 0, new("livecloud.multicloud", _composite), new("livecloud.provider", h.Provider));
        }
    }

    private static string Describe(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";
}
