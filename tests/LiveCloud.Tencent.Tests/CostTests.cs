using LiveCloud.Costs;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>The embedded Tencent list prices through the shared cost engine.</summary>
public sealed class CostTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1700000000));

    private TencentStreamProvider Provider(Action<TencentOptions>? tweak = null) =>
        TencentTestSetup.Provider(TencentTestSetup.Options(new Uri("http://127.0.0.1:9/"), tweak), _clock);

    // 100 viewers × 556 kbit/s × 4 h = 100.08 GB (decimal GB): 0.26 CNY/GB traffic beats 55.6 Mbps × 0.65 peak bandwidth.
    private static readonly UsageProfile Show = new() { PeakViewers = 100, BitrateKbps = 556, HoursPerDay = 4 };

    [Fact]
    public void The_embedded_table_is_tencents_dated_cited_list_price()
    {
        PriceTable table = TencentStreamProvider.ListPriceTable;
        table.Provider.Should().Be("Tencent");
        table.Currency.Should().Be("CNY");
        table.Source.Should().Contain("标准直播服务费用");
        table.Traffic!.Regions["mainland"][0].Price.Should().Be(0.26m);
        table.RecordingPerChannelMonth.Should().Be(30m);
    }

    [Fact]
    public void A_100_GB_show_costs_about_26_yuan_on_traffic_billing()
    {
        CostEstimate estimate = Provider().EstimateCost(Show);
        estimate.Provider.Should().Be("Tencent");
        estimate.BillingMode.Should().Be(BillingModes.Traffic);
        estimate.Total.Should().Be(26.02m);
        estimate.TotalsByBillingMode[BillingModes.DailyPeakBandwidth].Should().Be(36.14m);
    }

    // The same show pushed out to two platforms for its 4 hours: 480 relay-task minutes at 0.002 CNY = 0.96 CNY, and two
    // 556 kbit/s relays outside the account = 1.112 Mbps daily peak; one show day of a 30-day month averages 0.037067
    // Mbps·month at 90 CNY = 3.34 CNY (拉流转推.md).
    [Fact]
    public void Relays_add_task_minutes_and_third_party_bandwidth()
    {
        CostEstimate estimate = Provider().EstimateCost(Show with { RelayMinutesPerDay = 480, ThirdPartyRelays = 2 });
        CostLineItem minutes = estimate.LineItems.Single(l => l.Unit == "minute");
        minutes.Quantity.Should().Be(480m);
        minutes.UnitPrice.Should().Be(0.002m);
        minutes.Total.Should().Be(0.96m);
        CostLineItem bandwidth = estimate.LineItems.Single(l => l.Unit == "Mbps·month");
        bandwidth.Quantity.Should().Be(0.037067m);
        bandwidth.UnitPrice.Should().Be(90m);
        bandwidth.Total.Should().Be(3.34m);
        estimate.Total.Should().Be(26.02m + 0.96m + 3.34m);
        TencentStreamProvider.ListPriceTable.Source.Should().Contain("拉流转推");
    }

    [Fact]
    public void Configured_prices_replace_the_list_prices()
    {
        CostEstimate estimate = Provider(o => o.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.10m }]).EstimateCost(Show);
        estimate.Total.Should().Be(10.01m);
    }
}
