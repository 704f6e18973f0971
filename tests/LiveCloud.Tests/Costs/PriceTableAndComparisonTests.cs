using LiveCloud.Costs;
using Microsoft.Extensions.DependencyInjection;
using static LiveCloud.Tests.Costs.CostTestData;

namespace LiveCloud.Tests.Costs;

public class PriceTableCostTests
{
    [Fact]
    public void The_tencent_table_loads_from_the_embedded_resource_as_written_in_tencent_md()
    {
        PriceTable t = Tencent;
        t.Should().BeEquivalentTo(new { Provider = "Tencent", Currency = "CNY", AsOf = new DateOnly(2025, 9, 9), MegabytesPerGigabyte = 1000 }, o => o.ExcludingMissingMembers());
        t.Traffic!.Rule.Should().Be(TierRule.DailyReached);
        t.Traffic.FindRegion("MAINLAND")!.Select(x => (x.From, x.Price)).Should().Equal(
            (0m, 0.26m), (2000m, 0.25m), (10000m, 0.24m), (50000m, 0.22m), (100000m, 0.19m), (1000000m, 0.16m));
        t.DailyPeakBandwidth!.FindRegion("mainland")!.Select(x => (x.From, x.Price)).Should().Equal((0m, 0.65m), (500m, 0.63m), (5000m, 0.61m), (20000m, 0.58m));
        t.MonthlyP95Bandwidth.Should().BeNull("Tencent's list offers traffic and daily peak bandwidth only");
        t.Transcoding["1080p"].Should().Be(0.063m);
        t.Transcoding["h265-4k"].Should().Be(1.3406m);
        t.RecordingPerChannelMonth.Should().Be(30m);
        t.StoragePerGBMonth.Should().BeNull();
    }

    [Fact]
    public void A_table_survives_a_json_round_trip()
    {
        PriceTable again = PriceTable.FromJson(Tencent.ToJson());
        again.ToJson().Should().Be(Tencent.ToJson());
        CostEngine.Estimate(again, HundredGb).Total.Should().Be(26.02m);
    }

    [Fact]
    public void A_misspelt_field_is_refused_rather_than_dropped()
    {
        string json = """{ "provider": "X", "currency": "CNY", "asOf": "2025-01-01", "source": "s", "recordingPerChanelMonth": 30 }""";
        Action act = () => PriceTable.FromJson(json);
        act.Should().Throw<LiveCloudConfigurationException>().WithMessage("*recordingPerChanelMonth*");
    }

    [Theory]
    [InlineData("""[ { "from": 5, "price": 0.2 } ]""", "must start with a tier from 0")]
    [InlineData("""[ { "from": 0, "price": 0.2 }, { "from": 0, "price": 0.1 } ]""", "must be above the previous tier")]
    [InlineData("""[ { "from": 0, "price": -0.2 } ]""", "must not be negative")]
    public void Bad_tiers_are_refused_naming_the_field(string tiers, string problem)
    {
        string json = $$"""{ "provider": "X", "currency": "CNY", "asOf": "2025-01-01", "source": "s", "traffic": { "rule": "DailyReached", "regions": { "mainland": {{tiers}} } } }""";
        Action act = () => PriceTable.FromJson(json);
        act.Should().Throw<LiveCloudConfigurationException>().WithMessage($"*traffic.regions['mainland']*{problem}*");
    }

    [Fact]
    public void A_bandwidth_rule_must_match_its_period()
    {
        Action act = () => (Tencent with { MonthlyP95Bandwidth = Tiers(TierRule.DailyReached, (0m, 1m)) }).Validate();
        act.Should().Throw<LiveCloudConfigurationException>().WithMessage("*monthlyP95Bandwidth.rule must be MonthlyReached or MonthlyCumulative*");
    }

    [Fact]
    public void A_missing_resource_lists_the_ones_there_are()
    {
        Action act = () => PriceTable.LoadEmbedded(typeof(PriceTableCostTests).Assembly, "nope.json");
        act.Should().Throw<LiveCloudConfigurationException>().WithMessage("*nope.json*tencent-prices.json*");
    }
}

public class CostComparisonTests
{
    [Fact]
    public void Providers_are_ranked_cheapest_first_and_those_without_estimates_skipped()
    {
        // HundredGb = 100.08 GB: Cheap 0.20 → 20.02, Dear 0.30 → 30.02.
        StreamProviders providers = Register(
            new PricedProvider("Dear", Traffic(TierRule.DailyReached, (0m, 0.30m))),
            new PricedProvider("Cheap", Traffic(TierRule.DailyReached, (0m, 0.20m))),
            new PricedProvider("NoCosts", null));

        CostComparisonResult result = new CostComparison(providers).Compare(HundredGb);

        result.Ranked.Select(e => (e.Provider, e.Total)).Should().Equal(("Cheap", 20.02m), ("Dear", 30.02m));
        result.Cheapest!.Provider.Should().Be("Cheap");
        result.Failures.Should().BeEmpty();
    }

    [Fact]
    public void A_provider_that_cannot_price_the_profile_is_reported_not_fatal()
    {
        CostComparisonResult result = CostComparison.Compare(
            [new PricedProvider("Cheap", Traffic(TierRule.DailyReached, (0m, 0.20m))), new PricedProvider("Aliyun", Unconfirmed.Aliyun)],
            HundredGb);
        result.Ranked.Should().ContainSingle().Which.Provider.Should().Be("Cheap");
        result.Failures.Should().ContainSingle().Which.Should().Match<ProviderCostFailure>(f => f.Provider == "Aliyun" && f.Reason.Contains("LiveCloud:Aliyun:Prices:Traffic:mainland"));
    }

    [Fact]
    public void Different_currencies_are_grouped_never_ranked_together()
    {
        PriceTable usd = Traffic(TierRule.DailyReached, (0m, 0.05m)) with { Currency = "USD" };
        CostComparisonResult result = CostComparison.Compare(
            [new PricedProvider("Dear", Traffic(TierRule.DailyReached, (0m, 0.30m))), new PricedProvider("Abroad", usd), new PricedProvider("Cheap", Traffic(TierRule.DailyReached, (0m, 0.20m)))],
            HundredGb);

        Action rank = () => _ = result.Ranked;
        rank.Should().Throw<InvalidOperationException>().WithMessage("*CNY and USD*does not convert currencies*");
        result.ByCurrency["CNY"].Select(e => e.Provider).Should().Equal("Cheap", "Dear");
        result.ByCurrency["USD"].Should().ContainSingle().Which.Total.Should().Be(5.00m); // 100.08 × 0.05 = 5.004
    }

    private static StreamProviders Register(params IStreamProvider[] providers)
    {
        var services = new ServiceCollection();
        foreach (IStreamProvider provider in providers)
        {
            services.AddKeyedSingleton(provider.Name, provider);
        }

        return new StreamProviders(services.BuildServiceProvider(), providers.Select(p => new ProviderRegistration(p.Name, "Test")), () => null);
    }

    /// <summary>A provider priced by a table; with no table it lacks <see cref="ProviderFeatures.CostEstimate"/>.</summary>
    private sealed class PricedProvider(string name, PriceTable? table) : StreamProviderBase(name, null)
    {
        public override ProviderCapabilities Capabilities { get; } =
            new(table is null ? ProviderFeatures.PushUrls : ProviderFeatures.CostEstimate, [StreamProtocol.Rtmp], []);

        protected override CostEstimate EstimateCostCore(UsageProfile profile) =>
            CostEngine.Estimate(table! with { Provider = Name }, profile);
    }
}
