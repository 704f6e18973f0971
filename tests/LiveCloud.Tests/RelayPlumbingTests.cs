using LiveCloud.Callbacks;
using LiveCloud.Costs;
using LiveCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tests;

/// <summary>
/// The shared relay plumbing the cloud adapters use: the signed relay callback URL, the base class's confinement of
/// relays to the provider's app, and relay lines in cost estimates.
/// </summary>
public sealed class RelayPlumbingTests
{
    private const string Secret = "callback-secret-0123";
    private static readonly StreamId Stream = new("live", "show_1");
    private static readonly Uri Base = new("https://app.example.com/api/callbacks/x?src=cloud");

    private static CallbackRequest Received(Uri url) => new()
    {
        Query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1])),
        Body = "{}",
    };

    [Fact]
    public void A_relay_callback_url_vouches_for_its_direction_and_stream_and_nothing_else()
    {
        Uri url = RelayCallbackUrl.Create(Base, Secret, RelayDirection.Push, Stream);
        url.GetLeftPart(UriPartial.Path).Should().Be("https://app.example.com/api/callbacks/x");
        url.Query.Should().StartWith("?src=cloud&lc_relay=push&lc_stream=live%2Fshow_1&lc_sig=");

        CallbackRequest request = Received(url);
        RelayCallbackUrl.IsRelayCallback(request).Should().BeTrue();
        RelayCallbackUrl.Verify(request, Secret, "X", "LiveCloud:X:Key").Should().Be((RelayDirection.Push, Stream));
        RelayCallbackUrl.IsRelayCallback(new CallbackRequest()).Should().BeFalse();

        string sig = request.Query[RelayCallbackUrl.SignatureParameter];
        sig.Should().MatchRegex("^[0-9a-f]{64}$");
        RelayCallbackUrl.Create(Base, Secret, RelayDirection.Pull, Stream).Query.Should().NotContain(sig, "the signature covers the direction");
        RelayCallbackUrl.Create(Base, Secret, RelayDirection.Push, new StreamId("live", "show_2")).Query.Should().NotContain(sig, "and the stream");
        RelayCallbackUrl.Create(Base, "another-secret", RelayDirection.Push, Stream).Query.Should().NotContain(sig, "and depends on the secret");

        foreach ((string name, string value) in new[] { ("lc_sig", Tamper.OffByOne(sig)), ("lc_stream", "live/show_2"), ("lc_relay", "pull"), ("lc_stream", "nonsense"), ("lc_relay", "sideways") })
        {
            CallbackRequest forged = request with { Query = new Dictionary<string, string>(request.Query) { [name] = value } };
            Action verify = () => RelayCallbackUrl.Verify(forged, Secret, "X", "LiveCloud:X:Key");
            verify.Should().Throw<CallbackVerificationException>().Which.Provider.Should().Be("X");
        }

        Action noSecret = () => RelayCallbackUrl.Verify(request, null, "X", "LiveCloud:X:Key");
        noSecret.Should().Throw<CallbackVerificationException>().WithMessage("*LiveCloud:X:Key*");
        Action notHttp = () => RelayCallbackUrl.Create(new Uri("ftp://app.example.com/cb"), Secret, RelayDirection.Push, Stream);
        notHttp.Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task A_provider_confines_relays_to_its_app_naming_the_option_that_lifts_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var confined = new RelayingProvider("Relaying", "live", clock);
        var target = new Uri("rtmp://push.example.com/app/key");

        Func<Task> other = () => confined.StartRelayAsync(RelayRequest.PushTo(new StreamId("vip", "show_1"), target));
        (await other.Should().ThrowAsync<ArgumentException>()).Which.Should().Match<ArgumentException>(e =>
            e.ParamName == "request" && e.Message.Contains("LiveCloud:Relaying:AllowRelaysForOtherApps") && e.Message.Contains("vip/show_1"));
        confined.Started.Should().BeEmpty("the refusal comes before the provider is asked");

        (await confined.StartRelayAsync(RelayRequest.PushTo(Stream, target))).Stream.Should().Be(Stream);
        var open = new RelayingProvider("Open", null, clock);
        (await open.StartRelayAsync(RelayRequest.PushTo(new StreamId("vip", "show_1"), target))).Stream.App.Should().Be("vip");
    }

    [Fact]
    public void Relay_lines_are_priced_or_name_the_option_to_set()
    {
        var profile = new UsageProfile { PeakViewers = 10, BitrateKbps = 2000, HoursPerDay = 2, DaysPerMonth = 3, RelayMinutesPerDay = 120, ThirdPartyRelays = 1 };
        PriceTable table = PriceTable.FromJson("""
            { "provider": "X", "currency": "CNY", "asOf": "2026-01-01", "source": "test",
              "traffic": { "rule": "DailyReached", "regions": { "mainland": [ { "from": 0, "price": 0.1 } ] } },
              "relayPerMinute": 0.01, "thirdPartyRelayPerMbpsMonth": 30 }
            """);
        CostEstimate estimate = CostEngine.Estimate(table, profile);

        // 120 min × 3 days × 0.01 = 3.60; 2 Mbps × 3/30 of the month = 0.2 Mbps·month × 30 = 6.00.
        estimate.LineItems.Should().Contain(l => l.Unit == "minute" && l.Quantity == 360m && l.Total == 3.60m);
        estimate.LineItems.Should().Contain(l => l.Unit == "Mbps·month" && l.Quantity == 0.2m && l.Total == 6.00m);

        Action unconfirmed = () => CostEngine.Estimate(table with { RelayPerMinute = null }, profile);
        unconfirmed.Should().Throw<PriceNotConfirmedException>().Which.OptionKey.Should().Be("LiveCloud:X:Prices:RelayPerMinute");
        Action noBandwidth = () => CostEngine.Estimate(table with { ThirdPartyRelayPerMbpsMonth = null }, profile);
        noBandwidth.Should().Throw<PriceNotConfirmedException>().Which.OptionKey.Should().Be("LiveCloud:X:Prices:ThirdPartyRelayPerMbpsMonth");

        var overrides = new PriceOverrides { RelayPerMinute = 0.02m, ThirdPartyRelayPerMbpsMonth = 10m };
        CostEstimate overridden = CostEngine.Estimate(table with { RelayPerMinute = null, ThirdPartyRelayPerMbpsMonth = null }, profile, overrides);
        overridden.LineItems.Should().Contain(l => l.Unit == "minute" && l.Total == 7.20m).And.Contain(l => l.Unit == "Mbps·month" && l.Total == 2.00m);

        CostEngine.Estimate(table with { RelayPerMinute = null, ThirdPartyRelayPerMbpsMonth = null }, profile with { RelayMinutesPerDay = 0, ThirdPartyRelays = 0 })
            .LineItems.Should().OnlyContain(l => l.Unit == "GB", "no relays, no relay price needed");

        Action negative = () => _ = profile with { RelayMinutesPerDay = -1 };
        negative.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("RelayMinutesPerDay");
        Action negativeRelays = () => _ = profile with { ThirdPartyRelays = -1 };
        negativeRelays.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ThirdPartyRelays");
    }

    private sealed class RelayingProvider(string name, string? app, TimeProvider clock) : StreamProviderBase(name, clock)
    {
        public List<RelayRequest> Started { get; } = [];

        public override ProviderCapabilities Capabilities { get; } = new(ProviderFeatures.PushRelay, [], []);

        protected override string? RelayApp => app;

        protected override Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
        {
            Started.Add(request);
            return Task.FromResult(new RelayTask("1", request.Direction, request.Stream, RelayUrls.Redact(request.RemoteUrl), RelayStatus.Starting));
        }
    }
}
