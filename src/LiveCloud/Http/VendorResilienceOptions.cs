namespace LiveCloud.Http;

/// <summary>
/// Retry, timeout and circuit-breaker settings of a provider's vendor API calls
/// (configuration: <c>LiveCloud:{Provider}:Resilience</c>).
/// </summary>
public sealed class VendorResilienceOptions
{
    /// <summary>Retries after the first attempt, for calls that are safe to repeat (0–10; default 3).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first back-off delay; later ones grow exponentially with jitter (default 200 ms).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest single back-off delay, also the cap on a vendor's retry-after (default 10 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt may take (default 10 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may take with all its retries (default 30 s).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The failure ratio that opens the circuit (0–1; default 0.5).</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the breaker may open (default 20).</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window failures are counted in (default 30 s).</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open (default 15 s).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Adds a message per bad value to <paramref name="failures"/>, naming the key under <paramref name="sectionPath"/>.</summary>
    public void Validate(string sectionPath, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        string key = sectionPath + ":Resilience:";
        if (MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{key}MaxRetryAttempts must be from 0 to 10; got {MaxRetryAttempts}.");
        }

        if (BaseDelay <= TimeSpan.Zero || BaseDelay > MaxDelay)
        {
            failures.Add($"{key}BaseDelay must be positive and at most MaxDelay ({MaxDelay}); got {BaseDelay}.");
        }

        // Polly's own floors: timeouts of at least 10 ms, a breaker window of at least 500 ms.
        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TotalTimeout)
        {
            failures.Add($"{key}AttemptTimeout must be at least 10 ms and at most TotalTimeout ({TotalTimeout}); got {AttemptTimeout}.");
        }

        if (TotalTimeout < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{key}TotalTimeout must be at least 10 ms; got {TotalTimeout}.");
        }

        if (CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            failures.Add($"{key}CircuitBreakerFailureRatio must be more than 0 and at most 1; got {CircuitBreakerFailureRatio}.");
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            failures.Add($"{key}CircuitBreakerMinimumThroughput must be at least 2; got {CircuitBreakerMinimumThroughput}.");
        }

        if (CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{key}CircuitBreakerSamplingDuration must be at least 500 ms; got {CircuitBreakerSamplingDuration}.");
        }

        if (CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{key}CircuitBreakerBreakDuration must be at least 500 ms; got {CircuitBreakerBreakDuration}.");
        }
    }
}
