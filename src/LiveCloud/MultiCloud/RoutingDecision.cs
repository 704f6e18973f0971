using System.Collections.Concurrent;
using System.Globalization;
using LiveCloud.Costs;

namespace LiveCloud.MultiCloud;

/// <summary>What a routing decision is for.</summary>
public enum RoutingPurpose
{
    /// <summary>Where a host pushes (<see cref="IStreamProvider.CreatePushUrl"/>).</summary>
    Push,

    /// <summary>Where a viewer plays from (<see cref="IStreamProvider.CreatePlayUrls"/>).</summary>
    Play,
}

/// <summary>One member as a routing decision saw it.</summary>
/// <param name="Provider">The member's name.</param>
/// <param name="IsUp">Whether it is healthy.</param>
/// <param name="HoldsStream">Whether the stream is live on it (by the ledger).</param>
public sealed record RouteCandidate(string Provider, bool IsUp, bool HoldsStream)
{
    /// <summary>The price of one GB delivered to the viewer's region, when the decision priced members (cost routing).</summary>
    public decimal? PricePerGB { get; init; }

    /// <summary>The currency of <see cref="PricePerGB"/>.</summary>
    public string? Currency { get; init; }

    /// <summary>Why it has no price (not confirmed, the option to set; a region it does not price), when priced and it has none.</summary>
    public string? PriceNote { get; init; }
}

/// <summary>
/// Which member a multi-cloud provider chose for a push or a play, among which candidates, and why: what
/// <c>route --stream app/name --region R</c> prints, and what an app can log or show.
/// </summary>
/// <param name="Purpose">Push or play.</param>
/// <param name="Stream">The stream.</param>
/// <param name="Provider">The member chosen.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="Candidates">Every member, best first for this decision.</param>
public sealed record RoutingDecision(RoutingPurpose Purpose, StreamId Stream, string Provider, string Reason, IReadOnlyList<RouteCandidate> Candidates)
{
    /// <summary>The viewer's region the decision was made for (play only).</summary>
    public string? Region { get; init; }

    /// <summary>The multi-cloud provider's routing policy.</summary>
    public MultiCloudRouting Routing { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Purpose} {Stream} → {Provider}: {Reason}";
}

/// <summary>
/// The price of one GB delivered to a region by each member, from the member's own cost estimate, cached (price tables do not
/// change while the app runs). A reference audience (1,000 viewers at 2 Mbit/s for an hour, all in the region, about 900 GB)
/// is priced with <see cref="IStreamProvider.EstimateCost"/>; its delivery lines (traffic or bandwidth, whichever the vendor's
/// cheapest billing mode is; a self-hosted server's rent is a fixed cost and left out) are divided by its gigabytes.
/// </summary>
internal sealed class DeliveryPrices
{
    private static readonly UsageProfile Reference = new() { PeakViewers = 1000, BitrateKbps = 2000, HoursPerDay = 1 };
    private readonly ConcurrentDictionary<(string Provider, string Region), Price> _cache = new();

    public Price Get(IStreamProvider member, string? region)
    {
        string key = region ?? UsageProfile.Mainland;
        return _cache.GetOrAdd((member.Name, key), static (k, m) => Compute(m, k.Region), member);
    }

    private static Price Compute(IStreamProvider member, string region)
    {
        if (!member.Capabilities.Supports(ProviderFeatures.CostEstimate))
        {
            return new Price(null, null, $"{member.Name} has no price table");
        }

        UsageProfile profile = Reference with { ViewerRegions = new Dictionary<string, double> { [region] = 1.0 } };
        try
        {
            CostEstimate estimate = member.EstimateCost(profile);
            decimal delivery = estimate.LineItems.Where(l => l.Unit != CostEngine.ServerUnit).Sum(l => l.Total);
            decimal gigabytes = CostEngine.TrafficGigabytesPerDay(profile, 1.0, 1000);
            return new Price(decimal.Round(delivery / gigabytes, 4), estimate.Currency, null);
        }
        catch (PriceNotConfirmedException ex)
        {
            return new Price(null, null, $"not confirmed: set {ex.OptionKey}");
        }
        catch (Exception ex) when (ex is LiveCloudConfigurationException or ArgumentException or NotSupportedException)
        {
            return new Price(null, null, ex.Message);
        }
    }

    internal readonly record struct Price(decimal? PerGB, string? Currency, string? Note)
    {
        public override string ToString() => PerGB is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:0.####} {Currency}/GB") : $"no price ({Note})";
    }
}
