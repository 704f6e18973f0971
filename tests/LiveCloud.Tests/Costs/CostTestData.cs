using LiveCloud.Costs;

namespace LiveCloud.Tests.Costs;

internal static class CostTestData
{
    /// <summary>The Tencent list-price table from tencent.md §7, embedded in this test assembly.</summary>
    public static PriceTable Tencent { get; } = PriceTable.LoadEmbedded(typeof(CostTestData).Assembly, "tencent-prices.json");

    /// <summary>A table with traffic only, mainland only, 1000 MB per GB.</summary>
    public static PriceTable Traffic(TierRule rule, params (decimal From, decimal? Price)[] tiers) => new()
    {
        Provider = "Test",
        Currency = "CNY",
        AsOf = new DateOnly(2025, 1, 1),
        Source = "hand-made test table",
        Traffic = Tiers(rule, tiers),
    };

    public static TieredPrices Tiers(TierRule rule, params (decimal From, decimal? Price)[] tiers) => new()
    {
        Rule = rule,
        Regions = new Dictionary<string, IReadOnlyList<PriceTier>> { ["mainland"] = [.. tiers.Select(t => new PriceTier(t.From, t.Price))] },
    };

    /// <summary>
    /// 2500 kbit/s for 8 h: one viewer takes 2500 × 28800 s ÷ 8 = 9,000,000 kB = 9 GB per day (1000 MB/GB),
    /// so a day's traffic is 9 GB × <paramref name="viewers"/>.
    /// </summary>
    public static UsageProfile NineGbPerViewer(int viewers, int days = 1) =>
        new() { PeakViewers = viewers, BitrateKbps = 2500, HoursPerDay = 8, DaysPerMonth = days };

    /// <summary>The seed's sanity profile: 100 viewers × 556 kbit/s × 4 h = 100 × 556 × 14400 ÷ 8 kB = 100.08 GB.</summary>
    public static UsageProfile HundredGb { get; } = new() { PeakViewers = 100, BitrateKbps = 556, HoursPerDay = 4 };
}
