namespace LiveCloud.Costs;

/// <summary>
/// Runs one <see cref="UsageProfile"/> against every configured provider that estimates costs and ranks them,
/// cheapest first, within each currency. LiveCloud converts no currencies: estimates in different currencies
/// are grouped, never ranked against each other.
/// </summary>
public sealed class CostComparison
{
    private readonly StreamProviders _providers;

    /// <summary>Creates the comparison over the configured providers.</summary>
    /// <param name="providers">Every configured provider.</param>
    public CostComparison(StreamProviders providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers;
    }

    /// <summary>Prices <paramref name="profile"/> on every configured provider (see <see cref="Compare(IEnumerable{IStreamProvider}, UsageProfile)"/>).</summary>
    /// <param name="profile">The usage.</param>
    public CostComparisonResult Compare(UsageProfile profile) => Compare(_providers.All, profile);

    /// <summary>
    /// Prices <paramref name="profile"/> on each provider whose <see cref="IStreamProvider.Capabilities"/> include
    /// <see cref="ProviderFeatures.CostEstimate"/>. A provider that cannot price it (an unconfirmed price without
    /// override, a viewer region it does not serve) is listed in <see cref="CostComparisonResult.Failures"/>
    /// with the reason instead of stopping the comparison.
    /// </summary>
    /// <param name="providers">The providers.</param>
    /// <param name="profile">The usage.</param>
    /// <exception cref="ArgumentException">The profile itself is inconsistent or cannot be priced (<see cref="CostEngine.ValidateProfile"/>).</exception>
    public static CostComparisonResult Compare(IEnumerable<IStreamProvider> providers, UsageProfile profile)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(profile);
        CostEngine.ValidateProfile(profile);
        var estimates = new List<CostEstimate>();
        var failures = new List<ProviderCostFailure>();
        foreach (IStreamProvider provider in providers)
        {
            if (!provider.Capabilities.Supports(ProviderFeatures.CostEstimate))
            {
                continue;
            }

            try
            {
                estimates.Add(provider.EstimateCost(profile));
            }
            catch (Exception e) when (e is LiveCloudConfigurationException or ArgumentException)
            {
                failures.Add(new ProviderCostFailure(provider.Name, e.Message));
            }
        }

        return new CostComparisonResult(
            [.. estimates.OrderBy(e => e.Currency, StringComparer.Ordinal).ThenBy(e => e.Total).ThenBy(e => e.Provider, StringComparer.OrdinalIgnoreCase)],
            failures);
    }
}

/// <summary>The outcome of a <see cref="CostComparison"/>.</summary>
/// <param name="Estimates">Every estimate, ordered by currency, then cheapest first.</param>
/// <param name="Failures">Providers that could not price the profile, and why.</param>
public sealed record CostComparisonResult(IReadOnlyList<CostEstimate> Estimates, IReadOnlyList<ProviderCostFailure> Failures)
{
    /// <summary>The currencies of <see cref="Estimates"/>, in order.</summary>
    public IReadOnlyList<string> Currencies => [.. Estimates.Select(e => e.Currency).Distinct(StringComparer.Ordinal)];

    /// <summary>The estimates per currency, each list cheapest first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CostEstimate>> ByCurrency =>
        Estimates.GroupBy(e => e.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CostEstimate>)[.. g], StringComparer.Ordinal);

    /// <summary>All estimates ranked cheapest first, when they share one currency.</summary>
    /// <exception cref="InvalidOperationException">The estimates are in more than one currency; use <see cref="ByCurrency"/>.</exception>
    public IReadOnlyList<CostEstimate> Ranked => Currencies.Count <= 1
        ? Estimates
        : throw new InvalidOperationException(
            $"The estimates are in {string.Join(" and ", Currencies)}; LiveCloud does not convert currencies, so they cannot be ranked together. Rank within one currency with {nameof(ByCurrency)}.");

    /// <summary>The cheapest estimate, when all share one currency; <see langword="null"/> when there is none.</summary>
    /// <exception cref="InvalidOperationException">The estimates are in more than one currency.</exception>
    public CostEstimate? Cheapest => Ranked.Count == 0 ? null : Ranked[0];
}

/// <summary>A provider that could not price the profile.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Reason">Why, e.g. which price option to set.</param>
public sealed record ProviderCostFailure(string Provider, string Reason);
