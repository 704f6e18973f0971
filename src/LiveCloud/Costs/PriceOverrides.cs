using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LiveCloud.Configuration;

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

    /// <summary>
    /// Adds a message per bad price to <paramref name="failures"/>, each naming its full key (e.g.
    /// <c>LiveCloud:Aliyun:Prices:Traffic:mainland:1:From must be above the previous tier's (0); got 0.</c>): every
    /// tier list starts from 0 and rises strictly, and no price is negative. Start-up runs it on every provider's
    /// prices; <see cref="PriceTable.WithOverrides"/> runs it before laying the prices over a table.
    /// </summary>
    /// <param name="sectionPath">The section of these prices, e.g. <c>LiveCloud:Aliyun:Prices</c>.</param>
    /// <param name="failures">Where messages go.</param>
    public void Validate(string sectionPath, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(sectionPath);
        ArgumentNullException.ThrowIfNull(failures);
        var check = new OptionChecks(sectionPath, failures);
        Tiers(check, nameof(Traffic), Traffic);
        Tiers(check, nameof(DailyPeakBandwidth), DailyPeakBandwidth);
        Tiers(check, nameof(MonthlyP95Bandwidth), MonthlyP95Bandwidth);
        foreach (KeyValuePair<string, decimal> entry in Transcoding)
        {
            check.That(!string.IsNullOrWhiteSpace(entry.Key), nameof(Transcoding), "has an empty resolution class.");
            NotNegative(check, $"{nameof(Transcoding)}:{entry.Key}", entry.Value);
        }

        NotNegative(check, nameof(RecordingPerChannelMonth), RecordingPerChannelMonth);
        NotNegative(check, nameof(StoragePerGBMonth), StoragePerGBMonth);
    }

    private static void Tiers(OptionChecks check, string key, IDictionary<string, IList<PriceTierOverride>> regions)
    {
        foreach (KeyValuePair<string, IList<PriceTierOverride>> region in regions)
        {
            string where = $"{key}:{region.Key}";
            check.That(!string.IsNullOrWhiteSpace(region.Key), key, "has an empty region name.");
            if (region.Value is not { Count: > 0 } tiers)
            {
                check.Fail(where, "must list at least one tier ({ From, Price }), the first from 0.");
                continue;
            }

            for (int i = 0; i < tiers.Count; i++)
            {
                string tier = $"{where}:{i.ToString(CultureInfo.InvariantCulture)}";
                if (tiers[i] is not { } t)
                {
                    check.Fail(tier, "is required.");
                    continue;
                }

                if (i == 0)
                {
                    check.That(t.From == 0, $"{tier}:{nameof(PriceTierOverride.From)}", $"must be 0 (the first tier starts from 0); got {t.From.ToString(CultureInfo.InvariantCulture)}.");
                }
                else if (tiers[i - 1] is { } previous)
                {
                    check.That(
                        t.From > previous.From,
                        $"{tier}:{nameof(PriceTierOverride.From)}",
                        $"must be above the previous tier's ({previous.From.ToString(CultureInfo.InvariantCulture)}); got {t.From.ToString(CultureInfo.InvariantCulture)}.");
                }

                NotNegative(check, $"{tier}:{nameof(PriceTierOverride.Price)}", t.Price);
            }
        }
    }

    private static void NotNegative(OptionChecks check, string key, decimal? price) =>
        check.That(price is null or >= 0, key, $"must not be negative; got {price?.ToString(CultureInfo.InvariantCulture)}.");

    private static Dictionary<string, IList<PriceTierOverride>> NewTierMap() => new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One tier of an override: the unit price above <see cref="From"/>. A single tier from 0 is a flat price.</summary>
public sealed class PriceTierOverride
{
    /// <summary>Where the tier starts (GB for traffic, Mbps for bandwidth).</summary>
    public decimal From { get; set; }

    /// <summary>The unit price (required in configuration: a tier without one is refused, never priced at 0).</summary>
    [Required]
    public decimal Price { get; set; }
}
