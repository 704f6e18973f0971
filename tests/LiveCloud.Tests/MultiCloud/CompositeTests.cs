using LiveCloud.MultiCloud;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tests.MultiCloud;

/// <summary>
/// The composite's routing and events over two in-process members (the contract's smallest provider, no vendor), on a
/// frozen clock so that no check runs by itself: health is driven by reporting to the monitor, presence by the ledger.
/// </summary>
public sealed class CompositeTests : IDisposable
{
    private static readonly StreamId Stream = new("live", "room_1");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
    private readonly MultiCloudStreamProvider _show;
    private readonly List<StreamEvent> _events = [];

    public CompositeTests()
    {
        _show = new MultiCloudStreamProvider("Show", [Member("B"), Member("A")], Options(), _clock);
        _show.EventRaised += (_, e) => _events.Add(e);
    }

    private DateTimeOffset InAnHour => _clock.GetUtcNow().AddHours(1);

    public void Dispose() => _show.Dispose();

    private SampleProvider Member(string name) => new(name, new SampleOptions { Host = name.ToLowerInvariant() + ".example.com", Key = "key-" + name }, _clock);

    private static MultiCloudOptions Options()
    {
        var options = new MultiCloudOptions { Primary = "A", Health = { IdleProbe = IdleProbe.None, PollInterval = TimeSpan.Zero } };
        options.Backups.Add("B");
        return options;
    }

    private void MarkDown(string member)
    {
        for (int i = 0; i < 3; i++)
        {
            _show.Health.ReportFailure(member, HealthSignal.Probe, "refused", "refused");
        }
    }

    private void MarkUp(string member)
    {
        for (int i = 0; i < 3; i++)
        {
            _show.Health.ReportSuccess(member, HealthSignal.Probe);
        }
    }

    private void Publish(string member, string session) =>
        _show.Ledger.Record(new StreamEvent(member, StreamEventKind.Published, Stream, _clock.GetUtcNow(), $"{member}:{session}") { SessionId = session });

    [Fact]
    public void Members_are_ordered_primary_first_and_capabilities_are_what_they_share_without_cost()
    {
        _show.Members.Select(m => m.Name).Should().Equal("A", "B");
        _show.Capabilities.Features.Should().Be(ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls);
        _show.Capabilities.PlayProtocols.Should().Equal(StreamProtocol.Rtmp, StreamProtocol.Hls);
        _show.GetService<ProviderHealthMonitor>().Should().BeSameAs(_show.Health);
        _show.GetService<ISessionLedger>().Should().BeSameAs(_show.Ledger);
        _show.GetService<IStreamProvider>("b")!.Name.Should().Be("B");
    }

    [Fact]
    public void Push_goes_to_the_primary_while_up_then_the_first_healthy_backup()
    {
        _show.CreatePushUrl(Stream, InAnHour).Url.Should().StartWith("rtmp://a.example.com/");
        _show.RoutePush(Stream).Reason.Should().Be("the primary is up");

        MarkDown("A");

        _show.CreatePushUrl(Stream, InAnHour).Url.Should().StartWith("rtmp://b.example.com/", "a reconnecting host lands on the healthy cloud");
        RoutingDecision decision = _show.RoutePush(Stream);
        decision.Provider.Should().Be("B");
        decision.Reason.Should().Contain("the primary A is down (refused)").And.Contain("first healthy backup");
        decision.Candidates.Select(c => (c.Provider, c.IsUp)).Should().Equal(("B", true), ("A", false));

        MarkDown("B");
        _show.RoutePush(Stream).Should().Match<RoutingDecision>(d => d.Provider == "A" && d.Reason.Contains("no member is up"));
    }

    [Fact]
    public void A_show_on_a_backup_keeps_its_host_there_when_the_primary_comes_back_and_a_new_show_starts_on_the_primary()
    {
        MarkDown("A");
        Publish("B", "1");
        MarkUp("A");

        _show.RoutePush(Stream).Should().Match<RoutingDecision>(d => d.Provider == "B" && d.Reason.Contains("staying keeps its viewers"));
        _show.RoutePush(new StreamId("live", "room_2")).Provider.Should().Be("A");
    }

    [Fact]
    public void Play_goes_to_a_healthy_member_holding_the_stream_and_names_it()
    {
        _show.RoutePlay(Stream).Should().Match<RoutingDecision>(d => d.Provider == "A" && d.Reason.Contains("not live on any member"));

        Publish("B", "1");
        PlayUrlSet urls = _show.CreatePlayUrls(Stream, InAnHour, new PlayUrlOptions { Client = PlayClient.Web, Region = "mainland" });

        urls.Provider.Should().Be("B", "the member that signed");
        urls.Urls.Should().ContainSingle().Which.Url.Should().StartWith("http://b.example.com/live/room_1.m3u8");
        _show.RoutePlay(Stream, "mainland").Should().Match<RoutingDecision>(d => d.Provider == "B" && d.Reason == "the only healthy member holding the stream" && d.Region == "mainland");
    }

    [Fact]
    public void Among_several_holders_priority_routing_takes_the_configured_order_and_skips_a_down_one()
    {
        Publish("B", "1");
        _show.Ledger.RecordRelay(Stream, "A", true, _clock.GetUtcNow(), "relay");
        Publish("A", "r");

        _show.RoutePlay(Stream).Should().Match<RoutingDecision>(d => d.Provider == "A" && d.Reason.Contains("first in the configured order"));
        MarkDown("A");
        _show.RoutePlay(Stream).Provider.Should().Be("B");
    }

    [Fact]
    public void A_region_that_is_not_a_name_is_refused_naming_the_parameter()
    {
        Action sign = () => _show.CreatePlayUrls(Stream, InAnHour, new PlayUrlOptions { Region = "main land" });
        sign.Should().Throw<ArgumentException>().Where(e => e.ParamName == "options" && e.Message.Contains("'main land'"));
        Action route = () => _show.RoutePlay(Stream, "a/b");
        route.Should().Throw<ArgumentException>().Where(e => e.ParamName == "region");
    }

    [Fact]
    public void A_single_provider_names_itself_as_the_signer_and_ignores_the_region()
    {
        SampleProvider single = Member("Solo");
        PlayUrlSet urls = single.CreatePlayUrls(Stream, InAnHour, new PlayUrlOptions { Region = "europe" });
        urls.Provider.Should().Be("Solo");
        urls.Should().BeEquivalentTo(single.CreatePlayUrls(Stream, InAnHour), "the region changes nothing for one provider");
    }

    [Fact]
    public void A_failover_switches_viewers_once_raises_the_events_and_does_not_flap_back()
    {
        Publish("A", "1");
        _show.Ledger.Find(Stream)!.ServingProvider.Should().Be("A");

        MarkDown("A");
        _show.Ledger.Find(Stream)!.State.Should().Be(ShowState.Reconnecting);
        Publish("B", "7");
        MarkUp("A");

        ShowSession show = _show.Ledger.Find(Stream)!;
        show.ServingProvider.Should().Be("B");
        show.Timeline.Select(e => e.Kind).Should().Equal(
            TimelineEntryKind.Started, TimelineEntryKind.ProviderDown, TimelineEntryKind.HostLost, TimelineEntryKind.HostMoved,
            TimelineEntryKind.ViewersSwitched, TimelineEntryKind.ProviderUp);
        _events.Select(e => e.Kind).Should().Equal(StreamEventKind.ProviderHealthChanged, StreamEventKind.ServingProviderChanged, StreamEventKind.ProviderHealthChanged);
        StreamEvent switched = _events[1];
        switched.Should().Match<StreamEvent>(e => e.Provider == "Show" && e.Stream == Stream && e.VendorEventType == "B" && e.SessionId == show.Id);
        switched.Detail.Should().Contain("from A to B").And.Contain("A is down");
        _events.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
        _show.CreatePlayUrls(Stream, InAnHour).Provider.Should().Be("B", "A is up, but the stream is not on it: no flap back");
    }

    [Fact]
    public void Options_naming_a_member_not_given_fail_naming_the_key()
    {
        MultiCloudOptions options = Options();
        options.Backups.Add("C");
        Action create = () => new MultiCloudStreamProvider("Show", [Member("A"), Member("B")], options, _clock).Dispose();
        create.Should().Throw<LiveCloudConfigurationException>().Where(e => e.Message.Contains("LiveCloud:Show:Backups:1 'C' is not a configured provider"));
    }
}

/// <summary>The composite from configuration: registered only for a MultiCloud section, its mistakes named at start-up.</summary>
public class MultiCloudConfigurationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddSample("A").AddSample("B").AddSample("C");
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] show)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Show",
            ["LiveCloud:A:Host"] = "a.example.com",
            ["LiveCloud:A:Key"] = "ka",
            ["LiveCloud:B:Host"] = "b.example.com",
            ["LiveCloud:B:Key"] = "kb",
            ["LiveCloud:C:Host"] = "c.example.com",
            ["LiveCloud:C:Key"] = "kc",
            ["LiveCloud:Show:Type"] = "MultiCloud",
            ["LiveCloud:Show:Primary"] = "A",
            ["LiveCloud:Show:Backups:0"] = "B",
            ["LiveCloud:Show:Health:IdleProbe"] = "None",
        };
        foreach ((string key, string? value) in show)
        {
            settings["LiveCloud:Show:" + key] = value;
        }

        return settings;
    }

    [Fact]
    public void A_MultiCloud_section_is_a_provider_selected_like_any_over_the_members_it_names()
    {
        using ServiceProvider sp = Build(Settings(("Routing", "Cost"), ("Health:ProbeInterval", "00:00:05")));
        sp.GetRequiredService<IStartupValidator>().Validate();

        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        MultiCloudStreamProvider show = provider.GetRequiredService<MultiCloudStreamProvider>();
        show.Name.Should().Be("Show");
        show.Options.Routing.Should().Be(MultiCloudRouting.Cost);
        show.Options.Health.ProbeInterval.Should().Be(TimeSpan.FromSeconds(5));
        show.Members.Should().Equal(sp.GetRequiredKeyedService<IStreamProvider>("A"), sp.GetRequiredKeyedService<IStreamProvider>("B"));
        show.Members[0].GetService<MemberTap>().Should().NotBeNull("members carry the tap, so calls through their own routes reach the composite");
        sp.GetRequiredKeyedService<IStreamProvider>("C").GetService<MemberTap>().Should().BeNull("C is no member");
        sp.GetRequiredService<StreamProviders>().Names.Should().Equal("A", "B", "C", "Show");
    }

    [Fact]
    public void Without_a_MultiCloud_section_nothing_of_it_is_registered()
    {
        Dictionary<string, string?> settings = Settings();
        foreach (string key in settings.Keys.Where(k => k.StartsWith("LiveCloud:Show", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        settings["LiveCloud:Provider"] = "A";
        using ServiceProvider sp = Build(settings);
        sp.GetRequiredService<IStartupValidator>().Validate();

        sp.GetRequiredService<IStreamProvider>().Should().BeOfType<SampleProvider>("no tap, no decorator: a single provider pays nothing");
        sp.GetService<IValidateOptions<MultiCloudOptions>>().Should().BeNull();
    }

    [Theory]
    [InlineData("Backups:1", "Z", "LiveCloud:Show:Backups:1 'Z' is not a configured provider; configured: A, B, C.")]
    [InlineData("Backups:1", "A", "LiveCloud:Show:Backups:1 'A' is the primary too")]
    [InlineData("Backups:1", "b", "LiveCloud:Show:Backups:1 'b' is listed twice")]
    [InlineData("Backups:1", "Show", "LiveCloud:Show:Backups:1 'Show' is this multi-cloud provider itself")]
    [InlineData("Primary", "Show", "LiveCloud:Show:Primary 'Show' is this multi-cloud provider itself")]
    [InlineData("Primary", null, "LiveCloud:Show:Primary is required")]
    [InlineData("Routing", "Fastest", "LiveCloud:Show:Routing 'Fastest' is not one of Priority, Cost")]
    [InlineData("ReconnectWindow", "-00:00:01", "LiveCloud:Show:ReconnectWindow must be from")]
    [InlineData("Health:FailuresToMarkDown", "0", "LiveCloud:Show:Health:FailuresToMarkDown must be from 1 to 100; got 0.")]
    [InlineData("Health:ProbeStream", "nostream", "LiveCloud:Show:Health:ProbeStream must be a stream id")]
    public void Bad_configuration_fails_at_start_up_naming_the_key(string key, string? value, string message)
    {
        using ServiceProvider sp = Build(Settings((key, value)));
        Action start = () => sp.GetRequiredService<IStartupValidator>().Validate();
        start.Should().Throw<OptionsValidationException>().Where(e => e.Message.Contains(message), "it says: {0}", message);
    }

    [Fact]
    public void A_multi_cloud_provider_is_no_member_of_another()
    {
        Dictionary<string, string?> settings = Settings();
        settings["LiveCloud:Outer:Type"] = "MultiCloud";
        settings["LiveCloud:Outer:Primary"] = "C";
        settings["LiveCloud:Outer:Backups:0"] = "Show";
        using ServiceProvider sp = Build(settings);
        Action start = () => sp.GetRequiredService<IStartupValidator>().Validate();
        start.Should().Throw<OptionsValidationException>().Where(e => e.Message.Contains("LiveCloud:Outer:Backups:0 'Show' is a multi-cloud provider; members are single providers"));
    }
}
