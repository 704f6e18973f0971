using LiveCloud.Costs;
using Microsoft.Extensions.Configuration;
using static LiveCloud.Tests.Costs.CostTestData;

namespace LiveCloud.Tests.Costs;

/// <summary>Tier rules at and across boundaries. Tiers: 0.30 from 0 GB, 0.20 from 900 GB, 0.10 from 1800 GB.</summary>
public class CostEngineTierTests
{
    private static readonly (decimal, decimal?)[] Steps = [(0m, 0.30m), (900m, 0.20m), (1800m, 0.10m)];

    private static CostEstimate Price(TierRule rule, int viewers, int days) =>
        CostEngine.Estimate(Traffic(rule, Steps), NineGbPerViewer(viewers, days));

    [Fact]
    public void Daily_reached_exactly_on_a_boundary_stays_in_the_lower_tier()
    {
        // 100 viewers × 9 GB = 900 GB per day, exactly the 900 GB boundary → 0.30 (lower tier).
        // 900 GB × 2 days × 0.30 = 540.00
        CostEstimate estimate = Price(TierRule.DailyReached, 100, 2);
        estimate.LineItems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Quantity = 1800m, Unit = "GB", UnitPrice = 0.30m, Total = 540.00m });
        estimate.Total.Should().Be(540.00m);
    }

    [Fact]
    public void Daily_reached_prices_the_whole_day_at_the_tier_reached()
    {
        // 101 viewers × 9 GB = 909 GB per day > 900 → the whole day at 0.20.
        // 909 GB × 2 days × 0.20 = 363.60 (cheaper than 900 GB: that is what "reached" means)
        CostEstimate estimate = Price(TierRule.DailyReached, 101, 2);
        estimate.LineItems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Quantity = 1818m, UnitPrice = 0.20m, Total = 363.60m });
        estimate.Total.Should().Be(363.60m);
    }

    [Fact]
    public void Daily_cumulative_slices_each_day_across_two_tiers()
    {
        // Per day: 900 GB × 0.30 + 9 GB × 0.20; over 2 days: 1800 × 0.30 = 540.00 and 18 × 0.20 = 3.60 → 543.60
        CostEstimate estimate = Price(TierRule.DailyCumulative, 101, 2);
        estimate.LineItems.Select(l => (l.Quantity, l.UnitPrice, l.Total)).Should().Equal((1800m, 0.30m, 540.00m), (18m, 0.20m, 3.60m));
        estimate.Total.Should().Be(543.60m);
    }

    [Fact]
    public void Daily_cumulative_exactly_on_a_boundary_has_nothing_above_it()
    {
        // 900 GB per day: all of it in the first tier: 900 × 0.30 = 270.00
        CostEstimate estimate = Price(TierRule.DailyCumulative, 100, 1);
        estimate.LineItems.Should().ContainSingle().Which.Total.Should().Be(270.00m);
    }

    [Fact]
    public void Monthly_cumulative_accumulates_over_the_month_exactly_to_a_boundary()
    {
        // 100 viewers × 9 GB × 2 days = 1800 GB for the month = the second boundary.
        // 900 × 0.30 = 270.00 + 900 × 0.20 = 180.00 → 450.00, no GB at 0.10
        CostEstimate estimate = Price(TierRule.MonthlyCumulative, 100, 2);
        estimate.LineItems.Select(l => (l.Quantity, l.UnitPrice, l.Total)).Should().Equal((900m, 0.30m, 270.00m), (900m, 0.20m, 180.00m));
        estimate.Total.Should().Be(450.00m);
    }

    [Fact]
    public void Monthly_cumulative_spans_into_the_next_tier()
    {
        // 101 × 9 × 2 = 1818 GB: 270.00 + 180.00 + 18 × 0.10 = 1.80 → 451.80
        CostEstimate estimate = Price(TierRule.MonthlyCumulative, 101, 2);
        estimate.LineItems.Select(l => (l.Quantity, l.UnitPrice, l.Total)).Should().Equal((900m, 0.30m, 270.00m), (900m, 0.20m, 180.00m), (18m, 0.10m, 1.80m));
        estimate.Total.Should().Be(451.80m);
    }

    [Fact]
    public void Monthly_reached_on_a_boundary_and_across_it()
    {
        // 1800 GB exactly on the boundary → 0.20 for all: 360.00; 1818 GB → 0.10 for all: 181.80
        Price(TierRule.MonthlyReached, 100, 2).LineItems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Quantity = 1800m, UnitPrice = 0.20m, Total = 360.00m });
        Price(TierRule.MonthlyReached, 101, 2).LineItems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Quantity = 1818m, UnitPrice = 0.10m, Total = 181.80m });
    }

    [Fact]
    public void The_same_usage_costs_differently_under_each_rule()
    {
        // Guards against a rule being ignored: 101 viewers × 2 days under the four rules (worked above).
        new[] { TierRule.DailyReached, TierRule.DailyCumulative, TierRule.MonthlyReached, TierRule.MonthlyCumulative }
            .Select(rule => Price(rule, 101, 2).Total)
            .Should().Equal(363.60m, 543.60m, 181.80m, 451.80m);
    }
}

public class CostEngineBillingModeTests
{
    private static readonly PriceTable ThreeModes = Traffic(TierRule.DailyReached, (0m, 0.25m)) with
    {
        DailyPeakBandwidth = Tiers(TierRule.DailyReached, (0m, 0.60m)),
        MonthlyP95Bandwidth = Tiers(TierRule.MonthlyReached, (0m, 8m)),
    };

    [Fact]
    public void Every_mode_is_priced_and_the_cheapest_chosen()
    {
        // Peak 200, average 100 viewers, 2500 kbit/s, 8 h/day, 20 show days of 30.
        // traffic:   100 × 9 GB = 900 GB/day × 20 days × 0.25 = 4500.00
        // daily peak: 200 × 2500 kbit/s ÷ 1000 = 500 Mbps × 20 days × 0.60 = 6000.00
        // p95:       30 × 288 = 8640 samples, top 432 dropped; show samples 20 × 8 h × 12 = 1920 > 432
        //            → billed 500 Mbps × 8.00 = 4000.00 (cheapest)
        UsageProfile profile = new() { PeakViewers = 200, AverageViewers = 100, BitrateKbps = 2500, HoursPerDay = 8, DaysPerMonth = 20 };
        CostEstimate estimate = CostEngine.Estimate(ThreeModes, profile);

        estimate.TotalsByBillingMode.Should().Equal(new Dictionary<string, decimal>
        {
            [BillingModes.Traffic] = 4500.00m,
            [BillingModes.DailyPeakBandwidth] = 6000.00m,
            [BillingModes.MonthlyP95Bandwidth] = 4000.00m,
        });
        estimate.BillingMode.Should().Be(BillingModes.MonthlyP95Bandwidth);
        estimate.Total.Should().Be(4000.00m);
        estimate.LineItems.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Quantity = 500m, Unit = "Mbps·month", UnitPrice = 8m });
        estimate.LineItems.Sum(l => l.Total).Should().Be(estimate.Total);
    }

    [Fact]
    public void Daily_peak_wins_when_the_audience_is_steady()
    {
        // Without p95: 24 h at 500 Mbps peak = average.
        // traffic: 200 × 2500 × 86400 ÷ 8 kB = 5400 GB/day × 0.25 = 1350.00; daily peak: 500 Mbps × 0.60 = 300.00
        PriceTable table = ThreeModes with { MonthlyP95Bandwidth = null };
        CostEstimate estimate = CostEngine.Estimate(table, new UsageProfile { PeakViewers = 200, BitrateKbps = 2500, HoursPerDay = 24 });
        estimate.TotalsByBillingMode.Should().Equal(new Dictionary<string, decimal> { [BillingModes.Traffic] = 1350.00m, [BillingModes.DailyPeakBandwidth] = 300.00m });
        estimate.BillingMode.Should().Be(BillingModes.DailyPeakBandwidth);
    }

    [Fact]
    public void A_short_show_falls_inside_the_dropped_p95_samples_and_says_so()
    {
        // 1 day × 2 h × 12 = 24 samples ≤ 432 dropped → p95 billed 0, with a note explaining it.
        CostEstimate estimate = CostEngine.Estimate(ThreeModes, new UsageProfile { PeakViewers = 200, BitrateKbps = 2500, HoursPerDay = 2 });
        estimate.TotalsByBillingMode[BillingModes.MonthlyP95Bandwidth].Should().Be(0m);
        estimate.Notes.Should().Contain(n => n.Contains("432 of 8640") && n.Contains("billed bandwidth is 0"));
    }

    [Fact]
    public void Overhead_factor_scales_traffic_and_bandwidth()
    {
        // 900 GB/day × 1.05 = 945 GB × 0.25 = 236.25; 500 Mbps × 1.05 = 525 × 0.60 = 315.00
        PriceTable table = ThreeModes with { MonthlyP95Bandwidth = null };
        CostEstimate estimate = CostEngine.Estimate(table, NineGbPerViewer(100) with { PeakViewers = 200, AverageViewers = 100, OverheadFactor = 1.05 });
        estimate.TotalsByBillingMode.Should().Equal(new Dictionary<string, decimal> { [BillingModes.Traffic] = 236.25m, [BillingModes.DailyPeakBandwidth] = 315.00m });
    }

    [Fact]
    public void Lines_round_to_cents_and_the_total_is_their_sum()
    {
        // 2 viewers × 9 GB = 18 GB, half in each region: 9 GB × 0.1006 = 0.9054 → 0.91 per line.
        // Total = 0.91 + 0.91 = 1.82 (the sum of rounded lines), not round(1.8108) = 1.81.
        var regions = new Dictionary<string, IReadOnlyList<PriceTier>> { ["mainland"] = [new(0, 0.1006m)], ["europe"] = [new(0, 0.1006m)] };
        PriceTable table = Traffic(TierRule.DailyReached, (0m, 0m)) with { Traffic = new TieredPrices { Rule = TierRule.DailyReached, Regions = regions } };
        UsageProfile profile = NineGbPerViewer(2) with { ViewerRegions = new Dictionary<string, double> { ["mainland"] = 0.5, ["europe"] = 0.5 } };
        CostEstimate estimate = CostEngine.Estimate(table, profile);
        estimate.LineItems.Select(l => (l.Quantity, l.Total)).Should().Equal((9m, 0.91m), (9m, 0.91m));
        estimate.Total.Should().Be(1.82m);
    }
}

public class CostEngineSanityTests
{
    [Theory]
    [InlineData("0.20", "20.02")]
    [InlineData("0.25", "25.02")]
    public void A_hundred_gb_show_lands_between_20_and_30_cny(string perGb, string expected)
    {
        // 100 viewers × 556 kbit/s × 14400 s ÷ 8 = 100,080,000 kB = 100.08 GB; × price per GB.
        CostEstimate estimate = CostEngine.Estimate(Traffic(TierRule.DailyReached, (0m, decimal.Parse(perGb, System.Globalization.CultureInfo.InvariantCulture))), HundredGb);
        estimate.Total.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)).And.BeInRange(20m, 30m);
        estimate.LineItems.Single().Quantity.Should().Be(100.08m);
    }

    [Fact]
    public void A_hundred_gb_show_at_the_top_of_the_range()
    {
        // 100.08 × 0.30 = 30.024 → 30.02: the 20–30 CNY rule of thumb is approximate at its top end.
        CostEngine.Estimate(Traffic(TierRule.DailyReached, (0m, 0.30m)), HundredGb).Total.Should().Be(30.02m);
    }

    [Fact]
    public void A_hundred_gb_show_on_the_tencent_list_prices()
    {
        // Traffic: 100.08 GB × 0.26 (0–2 TB tier) = 26.0208 → 26.02 CNY.
        // Daily peak: 100 × 556 ÷ 1000 = 55.6 Mbps × 0.65 (0–500 Mbps) = 36.14 CNY. Traffic is cheaper.
        CostEstimate estimate = CostEngine.Estimate(Tencent, HundredGb);
        estimate.Should().BeEquivalentTo(new { Provider = "Tencent", Currency = "CNY", BillingMode = BillingModes.Traffic, Total = 26.02m, PriceTableAsOf = new DateOnly(2025, 9, 9) });
        estimate.TotalsByBillingMode[BillingModes.DailyPeakBandwidth].Should().Be(36.14m);
        estimate.PriceTableSource.Should().Contain("标准直播服务费用");
    }

    [Fact]
    public void A_1024_mb_gigabyte_makes_fewer_gigabytes()
    {
        // 100,080,000,000 bytes ÷ 2^30 = 93.206763… GB × 0.26 = 24.2337… → 24.23
        PriceTable table = Traffic(TierRule.MonthlyCumulative, (0m, 0.26m)) with { MegabytesPerGigabyte = 1024 };
        CostEstimate estimate = CostEngine.Estimate(table, HundredGb);
        estimate.LineItems.Single().Quantity.Should().BeApproximately(93.206763m, 0.000001m);
        estimate.Total.Should().Be(24.23m);
    }

    [Fact]
    public void Tencent_recording_and_transcoding_are_added_to_every_mode()
    {
        // 10 show days of 30: recording 1 channel × 10/30 × 30 CNY = 10.00;
        // 1080p transcoding 120 min × 10 days × 0.063 = 75.60; traffic 100.08 × 10 × 0.26 = 260.208 → 260.21
        UsageProfile profile = HundredGb with { DaysPerMonth = 10, RecordingHoursPerDay = 4, TranscodingMinutesPerDay = new Dictionary<string, double> { ["1080p"] = 120 } };
        CostEstimate estimate = CostEngine.Estimate(Tencent, profile);
        estimate.LineItems.Select(l => (l.Unit, l.Total)).Should().Equal(("GB", 260.21m), ("minute", 75.60m), ("channel·month", 10.00m));
        estimate.Total.Should().Be(345.81m);
        estimate.TotalsByBillingMode[BillingModes.DailyPeakBandwidth].Should().Be(55.6m * 10 * 0.65m + 85.60m);
    }
}

public class CostEngineOverrideTests
{
    [Fact]
    public void An_override_replaces_the_list_price_and_is_noted()
    {
        // Negotiated 0.20 CNY/GB flat: 100.08 × 0.20 = 20.016 → 20.02
        var overrides = new PriceOverrides();
        overrides.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.20m }];
        CostEstimate estimate = CostEngine.Estimate(Tencent, HundredGb, overrides);
        estimate.Total.Should().Be(20.02m);
        estimate.Notes.Should().Contain(n => n.Contains("LiveCloud:Tencent:Prices"));
        CostEngine.Estimate(Tencent, HundredGb).Total.Should().Be(26.02m, "the table itself is unchanged");
    }

    [Fact]
    public void Overrides_bind_from_configuration()
    {
        // Aliyun-like: nothing confirmed in the table; everything from LiveCloud:Aliyun:Prices.
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Aliyun:Prices:Traffic:mainland:0:From"] = "0",
            ["LiveCloud:Aliyun:Prices:Traffic:mainland:0:Price"] = "0.30",
            ["LiveCloud:Aliyun:Prices:Traffic:mainland:1:From"] = "50",
            ["LiveCloud:Aliyun:Prices:Traffic:mainland:1:Price"] = "0.20",
            ["LiveCloud:Aliyun:Prices:TrafficRule"] = "MonthlyCumulative",
            ["LiveCloud:Aliyun:Prices:Transcoding:1080p"] = "0.05",
        }).Build();
        var overrides = new PriceOverrides();
        config.GetSection("LiveCloud:Aliyun:Prices").Bind(overrides);

        // 100.08 GB: 50 × 0.30 = 15.00 + 50.08 × 0.20 = 10.016 → 10.02; transcoding 60 min × 0.05 = 3.00 → 28.02
        UsageProfile profile = HundredGb with { TranscodingMinutesPerDay = new Dictionary<string, double> { ["1080p"] = 60 } };
        CostEstimate estimate = CostEngine.Estimate(Unconfirmed.Aliyun, profile, overrides);
        estimate.LineItems.Select(l => l.Total).Should().Equal(15.00m, 10.02m, 3.00m);
        estimate.Total.Should().Be(28.02m);
        estimate.BillingMode.Should().Be(BillingModes.Traffic);
        estimate.Notes.Should().Contain(n => n.Contains(BillingModes.DailyPeakBandwidth) && n.Contains("LiveCloud:Aliyun:Prices:DailyPeakBandwidth:mainland"));
    }
}

public class CostEngineUnconfirmedTests
{
    [Fact]
    public void An_unconfirmed_transcoding_price_names_its_key()
    {
        var overrides = new PriceOverrides();
        overrides.Traffic["mainland"] = [new PriceTierOverride { Price = 0.2m }];
        UsageProfile profile = HundredGb with { TranscodingMinutesPerDay = new Dictionary<string, double> { ["720p"] = 10 } };
        Action act = () => CostEngine.Estimate(Unconfirmed.Aliyun, profile, overrides);
        act.Should().Throw<PriceNotConfirmedException>()
            .Where(e => e.OptionKey == "LiveCloud:Aliyun:Prices:Transcoding:720p")
            .WithMessage("LiveCloud:Aliyun:Prices:Transcoding:720p is not confirmed; supply it*");
    }

    [Fact]
    public void Unconfirmed_traffic_and_bandwidth_name_their_keys()
    {
        Action act = () => CostEngine.Estimate(Unconfirmed.Aliyun, HundredGb);
        act.Should().Throw<PriceNotConfirmedException>()
            .Where(e => e.OptionKey == "LiveCloud:Aliyun:Prices:Traffic:mainland")
            .Where(e => e.Message.Contains("LiveCloud:Aliyun:Prices:DailyPeakBandwidth:mainland is not confirmed"));
    }

    [Fact]
    public void An_unused_unconfirmed_price_does_no_harm()
    {
        // The Tencent table leaves storage unconfirmed: no retention, no storage line, no error.
        CostEngine.Estimate(Tencent, HundredGb with { RecordingHoursPerDay = 4 }).Total.Should().Be(26.02m + 1.00m);
    }

    [Fact]
    public void Tencent_storage_is_unconfirmed_once_recordings_are_kept()
    {
        Action act = () => CostEngine.Estimate(Tencent, HundredGb with { RecordingHoursPerDay = 4, RecordingRetentionDays = 7 });
        act.Should().Throw<PriceNotConfirmedException>().Where(e => e.OptionKey == "LiveCloud:Tencent:Prices:StoragePerGBMonth");
    }

    [Fact]
    public void An_unconfirmed_upper_tier_is_refused_only_when_reached()
    {
        // apac1: 0.46 up to 2000 GB/day is confirmed; above it is not. 100 viewers: fine (100.08 × 0.46 = 46.04).
        var apac = new Dictionary<string, double> { ["apac1"] = 1 };
        CostEngine.Estimate(Tencent, HundredGb with { ViewerRegions = apac }).Total.Should().Be(46.04m);

        // 2100 viewers → 2101.68 GB/day > 2000; the daily-peak section has no apac1 either.
        Action act = () => CostEngine.Estimate(Tencent, HundredGb with { PeakViewers = 2100, ViewerRegions = apac });
        act.Should().Throw<PriceNotConfirmedException>().Where(e => e.OptionKey == "LiveCloud:Tencent:Prices:Traffic:apac1" && e.Message.Contains("above 2000 GB"));
    }
}

public class CostEngineBadInputTests
{
    [Fact]
    public void Negative_viewers_are_refused_naming_the_value()
    {
        Action act = () => _ = HundredGb with { PeakViewers = -5 };
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "PeakViewers" && e.Message.Contains("-5"));
    }

    [Fact]
    public void Zero_hours_are_refused_naming_the_value()
    {
        Action act = () => _ = HundredGb with { HoursPerDay = 0 };
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "HoursPerDay" && e.Message.Contains("got 0"));
    }

    [Fact]
    public void An_unknown_region_is_refused_naming_it_and_the_known_ones()
    {
        UsageProfile profile = HundredGb with { ViewerRegions = new Dictionary<string, double> { ["mainland"] = 0.5, ["mars"] = 0.5 } };
        Action act = () => CostEngine.Estimate(Tencent, profile);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "ViewerRegions" && e.Message.Contains("'mars'") && e.Message.Contains("apac1"));
    }

    [Fact]
    public void An_unknown_resolution_class_is_refused()
    {
        Action act = () => CostEngine.Estimate(Tencent, HundredGb with { TranscodingMinutesPerDay = new Dictionary<string, double> { ["8k"] = 1 } });
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "TranscodingMinutesPerDay" && e.Message.Contains("'8k'"));
    }

    [Fact]
    public void More_average_than_peak_viewers_is_refused()
    {
        Action act = () => CostEngine.Estimate(Tencent, HundredGb with { AverageViewers = 101 });
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "AverageViewers" && e.Message.Contains("101"));
    }

    [Fact]
    public void More_show_days_than_the_month_has_is_refused()
    {
        Action act = () => CostEngine.Estimate(Tencent, HundredGb with { DaysPerMonth = 31, DaysInMonth = 30 });
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "DaysPerMonth" && e.Message.Contains("31"));
    }
}

public class SelfHostedCostTests
{
    private static readonly SelfHostedPriceModel Vps = new()
    {
        Provider = "Nginx",
        Currency = "CNY",
        AsOf = new DateOnly(2025, 1, 1),
        Source = "test VPS offer",
        ServerMonthlyCost = 300m,
        ServerUplinkMbps = 1000,
        EgressPerGB = 0.5m,
        EgressPerMbpsMonth = 2m,
    };

    [Fact]
    public void Servers_come_from_the_uplink_and_the_cheaper_egress_mode_wins()
    {
        // 2000 kbit/s = 2 Mbps per viewer; 1000 Mbps × 0.8 = 800 usable → 400 viewers per server;
        // 1000 peak viewers → ⌈1000/400⌉ = 3 servers × 300 = 900.00.
        // traffic: 500 avg × 2000 kbit/s × 7200 s ÷ 8 = 900 GB/day × 10 days × 0.5 = 4500.00 → 5400.00
        // bandwidth: 1000 × 2 Mbps = 2000 Mbps × 2 = 4000.00 → 4900.00 (cheaper)
        UsageProfile profile = new() { PeakViewers = 1000, AverageViewers = 500, BitrateKbps = 2000, HoursPerDay = 2, DaysPerMonth = 10 };
        CostEstimate estimate = CostEngine.Estimate(Vps, profile);
        estimate.TotalsByBillingMode.Should().Equal(new Dictionary<string, decimal> { [BillingModes.SelfHostedTraffic] = 5400m, [BillingModes.SelfHostedBandwidth] = 4900m });
        estimate.BillingMode.Should().Be(BillingModes.SelfHostedBandwidth);
        estimate.LineItems[0].Should().BeEquivalentTo(new { Quantity = 3m, Unit = "server·month", Total = 900m });
    }

    [Fact]
    public void Egress_included_means_servers_only()
    {
        CostEstimate estimate = CostEngine.Estimate(Vps with { EgressPerGB = null, EgressPerMbpsMonth = null }, HundredGb);
        estimate.BillingMode.Should().Be(BillingModes.SelfHosted);
        estimate.Total.Should().Be(300m);
    }

    [Fact]
    public void A_bitrate_above_one_servers_uplink_is_refused()
    {
        // 556 kbit/s = 0.556 Mbps per viewer > 0.5 Mbps × 0.8 = 0.4 Mbps usable.
        Action act = () => CostEngine.Estimate(Vps with { ServerUplinkMbps = 0.5 }, HundredGb);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "BitrateKbps");
    }
}

/// <summary>Tables whose prices are not confirmed (as the vendor notes say of Aliyun's mainland CNY prices).</summary>
internal static class Unconfirmed
{
    public static PriceTable Aliyun { get; } = new()
    {
        Provider = "Aliyun",
        Currency = "CNY",
        AsOf = new DateOnly(2025, 10, 1),
        Source = "test: rules only, prices not found",
        MegabytesPerGigabyte = 1000,
        Traffic = Tiers(TierRule.MonthlyCumulative, (0m, null)),
        DailyPeakBandwidth = Tiers(TierRule.DailyReached, (0m, null)),
        Transcoding = new Dictionary<string, decimal?> { ["720p"] = null, ["1080p"] = null },
    };
}
