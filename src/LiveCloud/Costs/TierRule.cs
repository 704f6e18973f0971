namespace LiveCloud.Costs;

/// <summary>
/// How a vendor turns a quantity (GB of traffic, Mbps of peak bandwidth) into money across its price tiers.
/// Two things vary: the period the quantity is summed over (a day or the calendar month) and whether the
/// whole quantity takes the price of the tier it reached or each slice takes its own tier's price.
/// </summary>
/// <remarks>
/// Tier boundaries: a tier applies to quantities <em>above</em> its <see cref="PriceTier.From"/>; a quantity
/// exactly on a boundary (e.g. 2000 GB with tiers from 0 and from 2000) belongs to the lower tier, so
/// "reached" and "cumulative" agree that nothing lies above the boundary.
/// </remarks>
public enum TierRule
{
    /// <summary>
    /// Tencent's "到达阶梯": the whole day's total is priced at the unit price of the tier that day's total
    /// reached; every day is billed on its own.
    /// </summary>
    DailyReached,

    /// <summary>Each day on its own, stepped: each slice of the day's total is priced by the tier it falls in.</summary>
    DailyCumulative,

    /// <summary>
    /// Qiniu's "按月到达阶梯": the calendar month's total is priced at the unit price of the tier that total reached.
    /// </summary>
    MonthlyReached,

    /// <summary>
    /// Aliyun's progressive accumulation: usage accumulates over the calendar month and each GB is priced
    /// by the tier the running total is in when it is used (stepped by portion).
    /// </summary>
    MonthlyCumulative,
}

/// <summary>One price tier: the price of each unit above <see cref="From"/> (up to the next tier's <see cref="From"/>).</summary>
/// <param name="From">
/// Where the tier starts, in the section's unit (GB for traffic, Mbps for bandwidth); the first tier starts at 0.
/// </param>
/// <param name="Price">
/// The unit price in the table's currency; <see langword="null"/> when the vendor's price is not confirmed, in
/// which case using this tier needs an override (see <see cref="PriceOverrides"/>).
/// </param>
public sealed record PriceTier(decimal From, decimal? Price);

/// <summary>A tiered price list per billing region under one <see cref="TierRule"/>.</summary>
public sealed record TieredPrices
{
    /// <summary>How the tiers apply.</summary>
    public required TierRule Rule { get; init; }

    /// <summary>
    /// The tiers per billing region (<c>mainland</c>, <c>apac1</c>, <c>north-america</c>…; compared
    /// case-insensitively), each list ascending by <see cref="PriceTier.From"/> and starting at 0.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<PriceTier>> Regions { get; init; }

    /// <summary>The tiers of <paramref name="region"/> (case-insensitive), or <see langword="null"/> when not priced.</summary>
    /// <param name="region">A billing region key.</param>
    public IReadOnlyList<PriceTier>? FindRegion(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (Regions.TryGetValue(region, out IReadOnlyList<PriceTier>? tiers))
        {
            return tiers;
        }

        foreach (KeyValuePair<string, IReadOnlyList<PriceTier>> entry in Regions)
        {
            if (string.Equals(entry.Key, region, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }
}
