using LiveCloud.Costs;
using LiveCloud.Testing.Emulators.Qiniu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

public sealed class CostTests
{
    // The seed's show: 100 viewers × 4 h at 556 kbit/s = 100 × 556e3 / 8 B/s × 14 400 s = 100.08 GB (1000-MB GB).
    private static readonly UsageProfile Show = new() { PeakViewers = 100, BitrateKbps = 556, HoursPerDay = 4 };

    private static QiniuStreamProvider Provider(Action<QiniuOptions>? configure = null)
    {
        QiniuOptions options = TestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return TestSetup.Create(options.Endpoint, new FakeTimeProvider(), options);
    }

    [Fact]
    public void The_embedded_table_holds_the_published_prices_and_nothing_invented()
    {
        PriceTable table = QiniuStreamProvider.ListPriceTable;
        table.Provider.Should().Be("Qiniu");
        table.Currency.Should().Be("CNY");
        table.AsOf.Should().Be(new DateOnly(2021, 10, 13));
        table.Source.Should().Contain("qiniu.com/prices/pili");
        table.Traffic!.Rule.Should().Be(TierRule.MonthlyReached, "docs/vendors/qiniu.md, prices: 按月到达阶梯计费");
        table.Traffic.Regions["mainland"].Should().OnlyContain(t => t.Price == null, "Qiniu publishes no live traffic price");
        table.DailyPeakBandwidth!.Regions["mainland"].Should().OnlyContain(t => t.Price == null);
        table.Transcoding.Should().Equal(new Dictionary<string, decimal?> { ["480p"] = 0.016m, ["720p"] = 0.0325m, ["1080p"] = 0.08m, ["2k"] = 0.14m, ["4k"] = 0.28m });
        table.StoragePerGBMonth.Should().Be(0.115m);
        table.RecordingPerChannelMonth.Should().BeNull("no recording line item was found; recordings are Kodo storage");
    }

    [Fact]
    public void Without_a_traffic_or_bandwidth_price_the_estimate_names_the_key_to_set()
    {
        Action estimate = () => Provider().EstimateCost(Show);
        estimate.Should().Throw<PriceNotConfirmedException>().Which.OptionKey.Should().StartWith("LiveCloud:Qiniu:Prices:");
    }

    [Fact]
    public void With_a_traffic_price_the_show_is_priced_and_transcoding_uses_the_list_price()
    {
        CostEstimate estimate = Provider(TestSetup.UseTestPrices).EstimateCost(Show with { TranscodingMinutesPerDay = new Dictionary<string, double> { ["1080p"] = 240 } });
        estimate.Provider.Should().Be("Qiniu");
        estimate.BillingMode.Should().Be(BillingModes.Traffic);
        // 100.08 GB × 0.20 = 20.02 (the user's price); 240 min × 0.08 = 19.20 (the list price).
        estimate.LineItems.Should().Contain(l => l.Unit == "GB" && l.Total == 20.02m);
        estimate.LineItems.Should().Contain(l => l.UnitPrice == 0.08m && l.Total == 19.20m);
        estimate.Total.Should().Be(39.22m);
    }

    [Fact]
    public void Prices_bind_from_configuration()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Qiniu:AccessKey"] = QiniuEmulator.AccessKey,
            ["LiveCloud:Qiniu:SecretKey"] = QiniuEmulator.SecretKey,
            ["LiveCloud:Qiniu:Hub"] = QiniuEmulator.Hub,
            ["LiveCloud:Qiniu:PushDomain"] = "pili-publish.example.com",
            ["LiveCloud:Qiniu:RtmpPlayDomain"] = "pili-live-rtmp.example.com",
            ["LiveCloud:Qiniu:Prices:Traffic:mainland:0:From"] = "0",
            ["LiveCloud:Qiniu:Prices:Traffic:mainland:0:Price"] = "0.25",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddQiniu();
        using ServiceProvider sp = services.BuildServiceProvider();
        CostEstimate estimate = sp.GetRequiredService<IStreamProvider>().EstimateCost(Show);
        estimate.LineItems.Should().ContainSingle().Which.UnitPrice.Should().Be(0.25m);
        estimate.Total.Should().Be(25.02m);
    }
}
