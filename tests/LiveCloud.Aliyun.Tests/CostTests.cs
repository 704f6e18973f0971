using LiveCloud.Costs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

public sealed class CostTests
{
    private static readonly UsageProfile Show = new() { PeakViewers = 100, BitrateKbps = 1500, HoursPerDay = 2 };

    private static AliyunStreamProvider Provider(Action<AliyunOptions>? configure = null)
    {
        AliyunOptions options = AliyunTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), new FakeTimeProvider());
    }

    [Fact]
    public void The_embedded_table_holds_the_confirmed_rules_and_no_invented_price()
    {
        PriceTable table = AliyunStreamProvider.ListPriceTable;
        table.Provider.Should().Be("Aliyun");
        table.Currency.Should().Be("CNY");
        table.MegabytesPerGigabyte.Should().Be(1024);
        table.Source.Should().Contain("billing-of-standard-streaming");
        table.Traffic!.Rule.Should().Be(TierRule.MonthlyCumulative);
        table.Traffic.Regions["mainland"].Should().OnlyContain(t => t.Price == null);
        table.DailyPeakBandwidth!.Regions["mainland"].Should().OnlyContain(t => t.Price == null);
        table.RecordingPerChannelMonth.Should().BeNull();
        table.StoragePerGBMonth.Should().BeNull();
    }

    [Fact]
    public void Without_prices_the_estimate_names_the_key_to_set()
    {
        Action estimate = () => Provider().EstimateCost(Show);
        estimate.Should().Throw<PriceNotConfirmedException>().Which.OptionKey.Should().StartWith("LiveCloud:Aliyun:Prices:");
    }

    [Fact]
    public void With_prices_traffic_is_stepped_over_the_month_in_1024_mb_gigabytes()
    {
        CostEstimate estimate = Provider(AliyunTestSetup.TestPrices).EstimateCost(Show);
        estimate.Provider.Should().Be("Aliyun");
        estimate.Currency.Should().Be("CNY");
        estimate.BillingMode.Should().Be(BillingModes.Traffic);

        // 100 viewers × 1500 kbit/s × 7200 s ÷ 8 = 1.35e11 bytes = 125.73 GB of 2^30 bytes: 10 GB at 0.20, the rest at 0.10.
        decimal gb = 135_000_000_000m / 1_073_741_824m;
        estimate.LineItems.Should().HaveCount(2);
        estimate.LineItems[0].Quantity.Should().Be(10m);
        estimate.LineItems[0].UnitPrice.Should().Be(0.20m);
        estimate.LineItems[1].Quantity.Should().BeApproximately(gb - 10m, 0.0001m);
        estimate.LineItems[1].UnitPrice.Should().Be(0.10m);
        estimate.Total.Should().Be(2.00m + Math.Round((gb - 10m) * 0.10m, 2, MidpointRounding.AwayFromZero));
        estimate.TotalsByBillingMode.Should().ContainKey(BillingModes.DailyPeakBandwidth);
    }

    [Fact]
    public void Prices_bind_from_configuration()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Aliyun:AccessKeyId"] = "testid",
            ["LiveCloud:Aliyun:AccessKeySecret"] = "testsecret",
            ["LiveCloud:Aliyun:PushDomain"] = "push.example.com",
            ["LiveCloud:Aliyun:PushKey"] = "k1",
            ["LiveCloud:Aliyun:PlayDomain"] = "play.example.com",
            ["LiveCloud:Aliyun:PlayKey"] = "k2",
            ["LiveCloud:Aliyun:Prices:Traffic:mainland:0:From"] = "0",
            ["LiveCloud:Aliyun:Prices:Traffic:mainland:0:Price"] = "0.5",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddAliyun();
        using ServiceProvider sp = services.BuildServiceProvider();
        CostEstimate estimate = sp.GetRequiredService<IStreamProvider>().EstimateCost(Show);
        estimate.LineItems.Should().ContainSingle().Which.UnitPrice.Should().Be(0.5m);
    }
}
