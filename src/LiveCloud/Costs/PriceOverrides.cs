namespace LiveCloud.Costs;

/// <summary>
/// Prices a user sets over a vendor's list price table (negotiated prices, or prices the table marks as not
/// confirmed). Vendor options carry one, bound from <c>LiveCloud:{Provider}:Prices</c>; every property is
/// optional and only what is set replaces the table.
/// </summary>
/// <example>
/// <code language="json">
/// { "LiveCloud": { "Aliyun": { "Prices": {
///     "Traffic": { "mainland": [ { "From": 0, "Price": 0.24 }, { "From": 10240, "Price": 0.22 } ] },
///     "Transcoding": { "1080p": 0.05 },
///     "RecordingPerChannelMonth": 30 } } } }
/// </code>
/// </example>
public sealed class PriceOverrides
{
    /// <summary>The configuration section name under a provider's section, <c>Prices</c>.</summary>
    public const string SectionName = "Prices";

    /// <summary>Traffic tiers per region; a region set here replaces the table's tiers for that region.</summary>
    public IDictionary<string, IList<PriceTierOverride>> Traffic { get; } = NewTierMap();

    /// <summary>The tier rule of traffic, when the contract's differs from the table's.</summary>
    public TierRule? TrafficRule { get; set; }

    /// <summary>Daily-peak-bandwidth tiers per region (CNY or the table's currency per Mbps per day).</summary>
    public IDictionary<string, IList<PriceTierOverride>> DailyPeakBandwidth { get; } = NewTierMap();

    /// <summary>Monthly 95th-percentile bandwidth tiers per region (per Mbps per month).</summary>
    public IDictionary<string, IList<PriceTierOverride>> MonthlyP95Bandwidth { get; } = NewTierMap();

    /// <summary>Transcoding price per minute by resolution class (<c>480p</c>, <c>720p</c>, <c>1080p</c>…).</summary>
    public IDictionary<string, decimal> Transcoding { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Recording price per concurrent channel per month (prorated by show days).</summary>
    public decimal? RecordingPerChannelMonth { get; set; }

    /// <summary>Storage price of recordings per GB-month.</summary>
    public decimal? StoragePerGBMonth { get; set; }

    /// <summary>Relay (pull-and-push task) price per minute of task duration.</summary>
    public decimal? RelayPerMinute { get; set; }

    /// <summary>Price per Mbps per month of relays pushed to a platform outside the account (average of daily peaks).</summary>
    public decimal? ThirdPartyRelayPerMbpsMonth { get; set; }

    /// <summary>Whether nothing is set.</summary>
    public bool IsEmpty =>
        Traffic.Count == 0 && TrafficRule is null && DailyPeakBandwidth.Count == 0 && MonthlyP95Bandwidth.Count == 0 &&
        Transcoding.Count == 0 && RecordingPerChannelMonth is null && StoragePerGBMonth is null &&
        RelayPerMinute is null && ThirdPartyRelayPerMbpsMonth is null;

    private static Dictionary<string, IList<PriceTierOverride>> NewTierMap() => new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One tier of an override: the unit price above <see cref="From"/>. A single tier from 0 is a flat price.</summary>
public sealed class PriceTierOverride
{
    /// <summary>Where the tier starts (GB for traffic, Mbps for bandwidth).</summary>
    public decimal From { get; set; }

    /// <summary>The unit price.</summary>
    public decimal Price { get; set; }
}
