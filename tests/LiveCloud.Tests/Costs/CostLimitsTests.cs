using LiveCloud.Costs;
using LiveCloud.Testing.Fakes;
using static LiveCloud.Tests.Costs.CostTestData;

namespace LiveCloud.Tests.Costs;

/// <summary>
/// What cannot be priced is refused by validation naming the value, never an <see cref="OverflowException"/> from
/// the decimal arithmetic; and malformed price overrides are refused naming their keys.
/// </summary>
public class CostLimitsTests
{
    private static readonly SelfHostedPriceModel Servers = new()
    {
        Provider = "Nginx",
        Currency = "CNY",
        AsOf = new DateOnly(2025, 1, 1),
        Source = "test",
        ServerMonthlyCost = 300m,
        ServerUplinkMbps = 100,
        EgressPerGB = 0.8m,
    };

    [Theory]
    [InlineData(1e308)]
    [InlineData(1e29)]
    [InlineData(10_000_001)]
    public void A_bitrate_beyond_what_can_be_priced_is_refused_naming_the_value(double kbps)
    {
        UsageProfile profile = new() { PeakViewers = 1, BitrateKbps = kbps, HoursPerDay = 1 };
        string shown = kbps.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Action table = () => CostEngine.Estimate(Tencent, profile);
        table.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == nameof(UsageProfile.BitrateKbps) && e.Message.Contains($"BitrateKbps {shown} cannot be priced") && e.Message.Contains("10,000,000 kbit/s"));
        Action servers = () => CostEngine.Estimate(Servers, profile);
        servers.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == nameof(UsageProfile.BitrateKbps));
        Action traffic = () => CostEngine.TrafficGigabytesPerDay(profile, 1, 1000);
        traffic.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == nameof(UsageProfile.BitrateKbps));
    }

    [Fact]
    public void An_overhead_factor_or_transcoding_minutes_beyond_the_limits_are_refused_naming_the_value()
    {
        Action overhead = () => CostEngine.Estimate(Tencent, HundredGb with { OverheadFactor = 1e300 });
        overhead.Should().Throw<ArgumentOutOfRangeException>().WithMessage("OverheadFactor 1E+300 cannot be priced*");
        Action minutes = () => CostEngine.Estimate(Tencent, HundredGb with { TranscodingMinutesPerDay = new Dictionary<string, double> { ["1080p"] = 1e300 } });
        minutes.Should().Throw<ArgumentOutOfRangeException>().WithMessage("TranscodingMinutesPerDay['1080p'] 1E+300 cannot be priced*");
        Action share = () => CostEngine.PeakMbps(HundredGb, 1e308);
        share.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "share");
    }

    [Fact]
    public void The_largest_profile_within_the_limits_is_priced_without_overflow()
    {
        // 2,147,483,647 viewers × 10 Gbit/s × 10 overhead × 24 h × 31 days: about 7.2E+16 GB of traffic, within decimal's range.
        UsageProfile largest = new()
        {
            PeakViewers = int.MaxValue,
            BitrateKbps = 10_000_000,
            OverheadFactor = 10,
            HoursPerDay = 24,
            DaysPerMonth = 31,
            DaysInMonth = 31,
            TranscodingMinutesPerDay = new Dictionary<string, double> { ["1080p"] = 1_000_000_000 },
        };
        CostEngine.Estimate(Tencent, largest).Total.Should().BeGreaterThan(1e15m);
        CostEngine.Estimate(Servers with { ServerUplinkMbps = 10_000_000 }, largest).Total.Should().BeGreaterThan(1e16m);
    }

    [Fact]
    public void An_estimate_that_still_overflows_at_huge_prices_is_refused_naming_the_profile_not_an_overflow()
    {
        var overrides = new PriceOverrides();
        overrides.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 79_000_000_000_000_000_000_000_000_000m }];
        Action act = () => CostEngine.Estimate(Tencent, HundredGb, overrides);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.Message.StartsWith("Tencent cannot price this profile at its prices", StringComparison.Ordinal) && e.Message.Contains("BitrateKbps 556"))
            .WithInnerException<OverflowException>();
    }

    [Fact]
    public void A_server_uplink_beyond_what_can_be_priced_is_a_configuration_error()
    {
        Action act = () => CostEngine.Estimate(Servers with { ServerUplinkMbps = 1e308 }, HundredGb);
        act.Should().Throw<LiveCloudConfigurationException>().WithMessage("*ServerUplinkMbps*1E+308*");
    }

    [Fact]
    public void A_comparison_refuses_an_unpriceable_profile_once_instead_of_failing_every_provider()
    {
        var provider = new SampleProvider("Sample", new SampleOptions { Host = "h", Key = "k" });
        Action act = () => CostComparison.Compare([provider], new UsageProfile { PeakViewers = 1, BitrateKbps = 1e308, HoursPerDay = 1 });
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == nameof(UsageProfile.BitrateKbps));
    }

    [Fact]
    public void Malformed_overrides_laid_over_a_table_are_refused_naming_each_key()
    {
        var overrides = new PriceOverrides { StoragePerGBMonth = -1 };
        overrides.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.3m }, new PriceTierOverride { From = 0, Price = 0.2m }];
        overrides.DailyPeakBandwidth["mainland"] = [];
        overrides.Transcoding["720p"] = -0.01m;

        Action act = () => CostEngine.Estimate(Tencent, HundredGb, overrides);
        act.Should().Throw<LiveCloudConfigurationException>().Which.Message.Should().Be(
            "LiveCloud:Tencent:Prices:Traffic:mainland:1:From must be above the previous tier's (0); got 0. " +
            "LiveCloud:Tencent:Prices:DailyPeakBandwidth:mainland must list at least one tier ({ From, Price }), the first from 0. " +
            "LiveCloud:Tencent:Prices:Transcoding:720p must not be negative; got -0.01. " +
            "LiveCloud:Tencent:Prices:StoragePerGBMonth must not be negative; got -1.");

        var failures = new List<string>();
        new PriceOverrides { RecordingPerChannelMonth = 30 }.Validate("LiveCloud:Aliyun:Prices", failures);
        failures.Should().BeEmpty("a valid override passes");
    }
}
