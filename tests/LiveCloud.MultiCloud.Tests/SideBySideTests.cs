using LiveCloud.Nginx;
using LiveCloud.Tencent;
using LiveCloud.Testing.Emulators.Huawei;
using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.MultiCloud.Tests;

/// <summary>
/// Several providers of one type side by side under their own names (two nginx servers, two Tencent accounts), members of
/// multi-cloud providers built from configuration; cost routing over the members' own price tables; callbacks through a
/// member's own route reaching the composite's ledger. Nothing here calls a vendor: the clock is frozen, so no check runs.
/// </summary>
public sealed class SideBySideTests : IDisposable
{
    private const string TencentCallbackKey = "3a5e7f0c9b1d";
    private static readonly StreamId Stream = new("live", "room_1");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;

    public SideBySideTests()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Show",
            ["LiveCloud:NginxA:Type"] = "Nginx",
            ["LiveCloud:NginxA:SigningKey"] = "signing-key-of-server-a-0123456789",
            ["LiveCloud:NginxA:RtmpPort"] = "19351",
            ["LiveCloud:NginxA:HttpPort"] = "18081",
            ["LiveCloud:NginxA:HookBaseUrl"] = "http://127.0.0.1:5080/api/callbacks/NginxA",
            ["LiveCloud:NginxA:WorkDirectory"] = "/tmp/livecloud-side-a",
            ["LiveCloud:NginxA:Pricing:EgressPricePerGb"] = "0.5",
            ["LiveCloud:NginxB:Type"] = "Nginx",
            ["LiveCloud:NginxB:SigningKey"] = "signing-key-of-server-b-0123456789",
            ["LiveCloud:NginxB:RtmpPort"] = "19352",
            ["LiveCloud:NginxB:HttpPort"] = "18082",
            ["LiveCloud:NginxB:HookBaseUrl"] = "http://127.0.0.1:5080/api/callbacks/NginxB",
            ["LiveCloud:NginxB:WorkDirectory"] = "/tmp/livecloud-side-b",
            ["LiveCloud:NginxB:Pricing:EgressPricePerGb"] = "0.3",
            ["LiveCloud:Servers:Type"] = "MultiCloud",
            ["LiveCloud:Servers:Primary"] = "NginxA",
            ["LiveCloud:Servers:Backups:0"] = "NginxB",
            ["LiveCloud:Servers:Routing"] = "Cost",
        };
        foreach ((string name, string? price) in new[] { ("TencentA", null), ("TencentB", "0.2") })
        {
            settings[$"LiveCloud:{name}:Type"] = "Tencent";
            settings[$"LiveCloud:{name}:SecretId"] = TencentApiEmulator.SecretId;
            settings[$"LiveCloud:{name}:SecretKey"] = TencentApiEmulator.SecretKey + name;
            settings[$"LiveCloud:{name}:PushDomain"] = name.ToLowerInvariant() + "-push.example.com";
            settings[$"LiveCloud:{name}:PushKey"] = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8";
            settings[$"LiveCloud:{name}:PlayDomain"] = name.ToLowerInvariant() + "-play.example.com";
            settings[$"LiveCloud:{name}:PlayKey"] = "e12c46f2612d5106e2034781ab261ca3";
            settings[$"LiveCloud:{name}:CallbackKey"] = TencentCallbackKey;
            if (price is not null)
            {
                settings[$"LiveCloud:{name}:Prices:Traffic:mainland:0:From"] = "0";
                settings[$"LiveCloud:{name}:Prices:Traffic:mainland:0:Price"] = price;
            }
        }

        settings["LiveCloud:HuaweiC:Type"] = "Huawei";
        settings["LiveCloud:HuaweiC:AccessKeyId"] = HuaweiLiveEmulator.AccessKeyId;
        settings["LiveCloud:HuaweiC:SecretAccessKey"] = HuaweiLiveEmulator.SecretAccessKey;
        settings["LiveCloud:HuaweiC:ProjectId"] = HuaweiLiveEmulator.ProjectId;
        settings["LiveCloud:HuaweiC:PushDomain"] = HuaweiLiveEmulator.PushDomain;
        settings["LiveCloud:HuaweiC:PushKey"] = "AbCdEf0123456789AbCdEf0123456789";
        settings["LiveCloud:HuaweiC:PlayDomain"] = HuaweiLiveEmulator.PlayDomain;
        settings["LiveCloud:HuaweiC:PlayKey"] = "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp";
        settings["LiveCloud:HuaweiC:PushAuthTimeout"] = "01:00:00";
        settings["LiveCloud:HuaweiC:PlayAuthTimeout"] = "01:00:00";
        settings["LiveCloud:Show:Type"] = "MultiCloud";
        settings["LiveCloud:Show:Primary"] = "TencentA";
        settings["LiveCloud:Show:Backups:0"] = "TencentB";
        settings["LiveCloud:Show:Backups:1"] = "HuaweiC";
        settings["LiveCloud:Show:Routing"] = "Cost";
        settings["LiveCloud:Show:Health:IdleProbe"] = "None";
        settings["LiveCloud:Show:Health:PollInterval"] = "00:00:00";

        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddNginx().AddTencent().AddHuawei();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _services.GetRequiredService<IStartupValidator>().Validate();
    }

    private MultiCloudStreamProvider Show => _services.GetRequiredService<IStreamProvider>().GetRequiredService<MultiCloudStreamProvider>();

    private MultiCloudStreamProvider Servers => _services.GetRequiredKeyedService<MultiCloudStreamProvider>("Servers");

    public void Dispose() => _services.Dispose();

    private static void MarkDown(MultiCloudStreamProvider composite, string member)
    {
        for (int i = 0; i < composite.Options.Health.FailuresToMarkDown; i++)
        {
            composite.Health.ReportFailure(member, HealthSignal.Probe, "refused", "refused");
        }
    }

    // A publish through the member's own route, as the callback endpoint hands it over (no call to the composite).
    private async Task PublishThroughMemberRouteAsync(string member, string sequence)
    {
        CallbackRequest callback = TencentApiEmulator.StreamCallback(TencentCallbackKey, Stream.App, Stream.Name, published: true, sequence, _clock.GetUtcNow(), _clock.GetUtcNow());
        StreamEvent e = await _services.GetRequiredService<StreamProviders>().Get(member).ParseCallbackAsync(callback);
        e.Provider.Should().Be(member);
    }

    [Fact]
    public void Two_nginx_servers_and_two_Tencent_accounts_sit_side_by_side_each_with_its_own_options_and_server()
    {
        IOptionsMonitor<NginxOptions> nginx = _services.GetRequiredService<IOptionsMonitor<NginxOptions>>();
        nginx.Get("NginxA").RtmpPort.Should().Be(19351);
        nginx.Get("NginxB").RtmpPort.Should().Be(19352);
        _services.GetRequiredKeyedService<NginxRtmpServer>("NginxA").ToString().Should().Contain("RtmpPort = 19351");
        _services.GetRequiredKeyedService<NginxRtmpServer>("NginxB").ToString().Should().Contain("RtmpPort = 19352");
        _services.GetRequiredService<IOptionsMonitor<TencentOptions>>().Get("TencentB").Prices.Traffic.Should().ContainKey("mainland");
        _services.GetRequiredService<StreamProviders>().Names.Should().Equal("HuaweiC", "NginxA", "NginxB", "Servers", "Show", "TencentA", "TencentB");

        DateTimeOffset expires = _clock.GetUtcNow().AddHours(1);
        Servers.CreatePushUrl(Stream, expires).Url.Should().StartWith("rtmp://127.0.0.1:19351/live/");
        Show.CreatePushUrl(Stream, expires).Url.Should().StartWith("rtmp://tencenta-push.example.com/live/");
        Show.Capabilities.PushProtocols.Should().Equal(StreamProtocol.Rtmp);
        Show.Capabilities.Supports(ProviderFeatures.CostEstimate).Should().BeFalse("estimate a member: each is listed in a cost comparison");
    }

    [Fact]
    public async Task Viewers_go_to_the_cheaper_of_two_healthy_members_holding_the_stream_and_to_the_other_when_it_is_down()
    {
        await PublishThroughMemberRouteAsync("TencentA", "1");
        Show.Ledger.RecordRelay(Stream, "TencentB", started: true, _clock.GetUtcNow(), "relay");
        await PublishThroughMemberRouteAsync("TencentB", "2");

        PlayUrlSet urls = Show.CreatePlayUrls(Stream, _clock.GetUtcNow().AddHours(1), new PlayUrlOptions { Region = "mainland", Client = PlayClient.Web });

        urls.Provider.Should().Be("TencentB");
        urls.Urls[0].Url.Should().Contain("tencentb-play.example.com");
        RoutingDecision cheaper = Show.RoutePlay(Stream, "mainland");
        cheaper.Reason.Should().Contain("cheapest").And.Contain("TencentB 0.2 CNY/GB").And.Contain("TencentA 0.26 CNY/GB");
        cheaper.Candidates.Select(c => (c.Provider, c.PricePerGB)).Should().Equal(("TencentB", 0.2m), ("TencentA", 0.26m), ("HuaweiC", null));
        cheaper.Candidates[2].PriceNote.Should().Contain("not confirmed: set LiveCloud:").And.Contain(":Prices:Traffic:mainland", "an unconfirmed price ranks last and says which option prices it");

        MarkDown(Show, "TencentB");

        Show.CreatePlayUrls(Stream, _clock.GetUtcNow().AddHours(1), new PlayUrlOptions { Region = "mainland" }).Provider.Should().Be("TencentA");
        Show.RoutePlay(Stream, "mainland").Reason.Should().Be("the only healthy member holding the stream");
    }

    [Fact]
    public void Cost_routing_prices_self_hosted_members_by_egress_without_the_server_rent()
    {
        Servers.Ledger.Record(new StreamEvent("NginxA", StreamEventKind.Published, Stream, _clock.GetUtcNow(), "a1") { SessionId = "1" });
        Servers.Ledger.RecordRelay(Stream, "NginxB", started: true, _clock.GetUtcNow(), "relay");
        Servers.Ledger.Record(new StreamEvent("NginxB", StreamEventKind.Published, Stream, _clock.GetUtcNow(), "b1") { SessionId = "1" });

        RoutingDecision decision = Servers.RoutePlay(Stream, "europe");

        decision.Provider.Should().Be("NginxB");
        decision.Candidates.Select(c => c.PricePerGB).Should().Equal(0.3m, 0.5m);
    }

    [Fact]
    public async Task A_callback_through_a_members_own_route_reaches_the_composites_ledger_and_health()
    {
        _services.GetRequiredService<StreamProviders>().Get("TencentB").Should().NotBeNull();
        Show.Health.ReportFailure("TencentB", HealthSignal.Probe, "one failure");

        await PublishThroughMemberRouteAsync("TencentB", "77");

        ShowSession show = Show.Ledger.Find(Stream)!;
        show.HostProvider.Should().Be("TencentB");
        show.Timeline.Should().ContainSingle().Which.Kind.Should().Be(TimelineEntryKind.Started);
        Show.Health.Get("TencentB").ConsecutiveFailures.Should().Be(0, "a verified callback is a sign of life");
    }

    [Fact]
    public async Task A_callback_through_the_composites_route_is_verified_by_the_member_whose_key_signs_it()
    {
        CallbackRequest callback = HuaweiLiveEmulator.PushCallback("wrong-key-for-huawei-c-0000000000", "PUBLISH", HuaweiLiveEmulator.PushDomain, "live", "room_1", 1, _clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds());
        Func<Task> forged = async () => await Show.ParseCallbackAsync(callback);
        (await forged.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("No member of Show verified the callback");

        StreamEvent e = await Show.ParseCallbackAsync(TencentApiEmulator.StreamCallback(TencentCallbackKey, "live", "room_1", published: true, "5", _clock.GetUtcNow(), _clock.GetUtcNow()));
        e.Provider.Should().Be("Show");
        Show.Ledger.Find(Stream)!.HostProvider.Should().Be("TencentA", "the first member whose key verifies it");
    }
}
