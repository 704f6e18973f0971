using System.Text.Json.Nodes;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.MultiCloud.Tests;

/// <summary>
/// <see cref="MultiCloudOptions.WarmBackup"/> against the Huawei emulator, whose adapter has pull relays (the nginx relay is
/// built on another branch): two Huawei accounts side by side, each with its own emulated account; a show published on the primary makes the backup pull it
/// (a real pull task in the emulator, from the primary's signed play URL), and the task is deleted when the show ends.
/// </summary>
public sealed class WarmBackupTests : IAsyncLifetime
{
    private const string CallbackKey = "cbkey0123456789cbkey0123456789ab";
    private static readonly StreamId Stream = new("live", "warm_1");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
    private HuaweiLiveEmulator _emulatorA = null!;
    private HuaweiLiveEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _emulatorA = (await HuaweiLiveEmulator.StartAsync(_clock)).AddSampleDomains();
        _emulator = (await HuaweiLiveEmulator.StartAsync(_clock)).AddSampleDomains();
        var settings = new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Show",
            ["LiveCloud:Show:Type"] = "MultiCloud",
            ["LiveCloud:Show:Primary"] = "HuaweiA",
            ["LiveCloud:Show:Backups:0"] = "HuaweiB",
            ["LiveCloud:Show:WarmBackup"] = "true",
            ["LiveCloud:Show:ReconnectWindow"] = "00:00:30",
            ["LiveCloud:Show:Health:IdleProbe"] = "None",
            ["LiveCloud:Show:Health:PollInterval"] = "00:00:00",
        };
        foreach ((string name, string playKey) in new[] { ("HuaweiA", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp"), ("HuaweiB", "Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0PpZz9") })
        {
            settings[$"LiveCloud:{name}:Type"] = "Huawei";
            settings[$"LiveCloud:{name}:AccessKeyId"] = HuaweiLiveEmulator.AccessKeyId;
            settings[$"LiveCloud:{name}:SecretAccessKey"] = HuaweiLiveEmulator.SecretAccessKey;
            settings[$"LiveCloud:{name}:ProjectId"] = HuaweiLiveEmulator.ProjectId;
            settings[$"LiveCloud:{name}:Endpoint"] = (name == "HuaweiA" ? _emulatorA : _emulator).BaseAddress.ToString();
            settings[$"LiveCloud:{name}:PushDomain"] = HuaweiLiveEmulator.PushDomain;
            settings[$"LiveCloud:{name}:PushKey"] = "AbCdEf0123456789AbCdEf0123456789";
            settings[$"LiveCloud:{name}:PlayDomain"] = HuaweiLiveEmulator.PlayDomain;
            settings[$"LiveCloud:{name}:PlayKey"] = playKey;
            settings[$"LiveCloud:{name}:PushAuthTimeout"] = "01:00:00";
            settings[$"LiveCloud:{name}:PlayAuthTimeout"] = "01:00:00";
            settings[$"LiveCloud:{name}:CallbackKey"] = CallbackKey;
            settings[$"LiveCloud:{name}:Resilience:MaxRetryAttempts"] = "0";
        }

        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddHuawei();
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<IStartupValidator>().Validate();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
        await _emulatorA.DisposeAsync();
    }

    private CallbackRequest Callback(string eventName) =>
        HuaweiLiveEmulator.PushCallback(CallbackKey, eventName, HuaweiLiveEmulator.PushDomain, Stream.App, Stream.Name, _clock.GetUtcNow().ToUnixTimeSeconds(), _clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds());

    [Fact]
    public async Task A_show_on_the_primary_is_pulled_by_the_backup_while_it_lasts()
    {
        MultiCloudStreamProvider show = _services.GetRequiredKeyedService<MultiCloudStreamProvider>("Show");
        IStreamProvider primary = _services.GetRequiredKeyedService<IStreamProvider>("HuaweiA");
        string expectedSource = primary.CreatePlayUrls(Stream, _clock.GetUtcNow().AddHours(1), new PlayUrlOptions { Protocols = [StreamProtocol.Rtmp] }).Urls[0].Url;

        // A day is more than the play domain's authentication timeout (an hour): the relay is signed for an hour, renewed.
        // The publish reaches the primary through its own callback route, as the endpoint hands it over.
        (await primary.ParseCallbackAsync(Callback("PUBLISH"))).Kind.Should().Be(StreamEventKind.Published);

        await Poll.UntilAsync(() => _emulator.PullTasks.Count == 1, "the backup's pull task");
        JsonObject task = _emulator.PullTasks.Values.Single();
        task["source_urls"]!.AsArray().Select(u => (string?)u).Should().Equal(expectedSource);
        ((string?)task["stream_name"]).Should().Be(Stream.Name);
        _emulatorA.PullTasks.Should().BeEmpty("the backup pulls; the primary's account has no relay");
        await Poll.UntilAsync(() => show.Ledger.Find(Stream)!.Timeline.Any(e => e.Kind == TimelineEntryKind.RelayStarted), "the relay in the timeline");
        show.Ledger.Find(Stream)!.Timeline.Single(e => e.Kind == TimelineEntryKind.RelayStarted).Should()
            .Match<TimelineEntry>(e => e.Provider == "HuaweiB" && e.Detail.Contains("a pull relay on HuaweiB"));
        (await show.ListRelaysAsync().ToListAsync()).Should().ContainSingle().Which.Id.Should().StartWith("HuaweiB:");

        // The host leaves and does not return within the window: the show ends, and so does the relay.
        await primary.ParseCallbackAsync(Callback("PUBLISH_DONE"));
        _clock.Advance(TimeSpan.FromSeconds(31));
        await show.CheckHealthAsync();

        await Poll.UntilAsync(() => _emulator.PullTasks.Count == 0, "the pull task deleted");
        ShowSession ended = show.Ledger.Sessions(Stream).Single();
        ended.State.Should().Be(ShowState.Ended);
        ended.Timeline.Select(e => e.Kind).Should().Contain([TimelineEntryKind.RelayStarted, TimelineEntryKind.Ended, TimelineEntryKind.RelayStopped]);
    }
}
