using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Hosting;
using LiveCloud.LiveRooms.Rooms;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>
/// <see cref="RoomReconciler"/> over a provider whose online list and recordings the test sets, and a real SQLite store:
/// which rooms leave "live", who is told, which recordings are added, and what a provider that cannot answer changes.
/// </summary>
public sealed class ReconcilerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly string _database = Path.Combine(Path.GetTempPath(), "liverooms-reconcile-" + Guid.NewGuid().ToString("N")[..8] + ".db");
    private readonly FakeProvider _provider = new("Fake");
    private readonly ServiceProvider _services;
    private readonly SqliteRoomStore _store;
    private readonly RoomEventHub _hub;
    private readonly RoomReconciler _reconciler;

    public ReconcilerTests()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Fake",
            ["LiveCloud:Fake:Host"] = "live.example.com",
            ["LiveCloud:Fake:Key"] = "k",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddProvider<FakeProvider, SampleOptions>("Fake", _ => _provider);
        _services = services.BuildServiceProvider();
        StreamProviders providers = _services.GetRequiredService<StreamProviders>();
        _store = new SqliteRoomStore("Data Source=" + _database, _clock);
        _hub = new RoomEventHub();
        var recorder = new RecordingStarter(providers, _store, Options.Create(new LiveRoomsOptions { RecordShows = false }), _clock, NullLogger<RecordingStarter>.Instance);
        _reconciler = new RoomReconciler(providers, _store, new RoomNotifier(_hub, recorder), _clock, NullLogger<RoomReconciler>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_live_room_whose_stream_is_gone_goes_idle_its_watchers_are_told_and_its_unlisted_recordings_are_added_once()
    {
        Room vanished = await LiveRoomAsync("vanished", T0);
        Room online = await LiveRoomAsync("online", T0);
        Room fresh = await LiveRoomAsync("fresh", T0.AddSeconds(20));
        _provider.Online.Add(online.Stream);
        _provider.Files.Add(Recorded(vanished.Stream, 1));
        _provider.Files.Add(Recorded(vanished.Stream, 2));
        _provider.Files.Add(Recorded(online.Stream, 3));
        _hub.TryWatch(vanished.Id, out RoomEventHub.Subscription? watching).Should().BeTrue();
        using RoomEventHub.Subscription watcher = watching!;
        _clock.Advance(TimeSpan.FromSeconds(30));

        IReadOnlyList<Room> idled = await _reconciler.ReconcileAsync(T0.AddSeconds(10), TimeSpan.Zero, CancellationToken.None);

        idled.Should().ContainSingle().Which.Id.Should().Be(vanished.Id);
        (await _store.FindAsync(vanished.Id, CancellationToken.None))!.State.Should().Be(RoomStates.Idle);
        (await _store.FindAsync(online.Id, CancellationToken.None))!.State.Should().Be(RoomStates.Live, "its stream is online");
        (await _store.FindAsync(fresh.Id, CancellationToken.None))!.State.Should().Be(RoomStates.Live, "it went live after the cut-off: its stream may not show yet");
        List<RoomChange> told = [];
        while (watcher.Changes.TryRead(out RoomChange? change))
        {
            told.Add(change);
        }

        told.Select(c => c.Type).Should().Equal("state", "recording", "recording");
        told[0].Data.Should().BeEquivalentTo(new { Id = vanished.Id, State = RoomStates.Idle, LiveSince = (DateTimeOffset?)null });
        (await _store.ListRecordingsAsync(vanished.Id, CancellationToken.None)).Select(r => r.PlaybackUrl).Should().Equal(_provider.Files[0].PlaybackUrl, _provider.Files[1].PlaybackUrl);
        (await _store.ListRecordingsAsync(online.Id, CancellationToken.None)).Should().BeEmpty("only rooms that were set idle are looked at");
        _reconciler.LastReconciledAt.Should().Be(_clock.GetUtcNow());

        // Live again and gone again: the files already listed are not added twice.
        _provider.Online.Add(fresh.Stream);
        await _store.ApplyEventAsync(new StreamEvent("Fake", StreamEventKind.Published, vanished.Stream, _clock.GetUtcNow(), "again"), null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        (await _reconciler.ReconcileAsync(_clock.GetUtcNow(), TimeSpan.Zero, CancellationToken.None)).Should().ContainSingle();
        (await _store.ListRecordingsAsync(vanished.Id, CancellationToken.None)).Should().HaveCount(2);
    }

    [Fact]
    public async Task A_provider_that_cannot_answer_changes_nothing()
    {
        Room live = await LiveRoomAsync("unknown", T0);
        _provider.Down = true;
        _clock.Advance(TimeSpan.FromMinutes(1));

        (await _reconciler.ReconcileAsync(_clock.GetUtcNow(), TimeSpan.Zero, CancellationToken.None)).Should().BeEmpty();

        (await _store.FindAsync(live.Id, CancellationToken.None))!.State.Should().Be(RoomStates.Live, "nginx restarting is no reason to end a show");
        _reconciler.LastReconciledAt.Should().BeNull();
    }

    [Fact]
    public async Task A_room_that_went_live_again_since_it_was_read_is_not_set_idle()
    {
        Room room = await LiveRoomAsync("again", T0);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await _store.ApplyEventAsync(new StreamEvent("Fake", StreamEventKind.Published, room.Stream, _clock.GetUtcNow(), "second"), null, CancellationToken.None);

        // The second publish keeps the show's start (live_since) but is news: a pass whose cut-off precedes it waits.
        (await _store.MarkIdleIfNoPublishSinceAsync(room.Id, room.LiveSince!.Value.AddSeconds(1), CancellationToken.None)).Should().BeNull();
        (await _store.FindAsync(room.Id, CancellationToken.None))!.State.Should().Be(RoomStates.Live);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await _store.MarkIdleIfNoPublishSinceAsync(room.Id, _clock.GetUtcNow(), CancellationToken.None))!.State.Should().Be(RoomStates.Idle);
    }

    private async Task<Room> LiveRoomAsync(string name, DateTimeOffset at)
    {
        var stream = new StreamId("live", name);
        Room room = await _store.CreateAsync(name + "-room", name, "Fake", stream, RoomStore.HashToken(name), CancellationToken.None);
        EventResult result = await _store.ApplyEventAsync(new StreamEvent("Fake", StreamEventKind.Published, stream, at, name + "-publish"), null, CancellationToken.None);
        result.Room!.State.Should().Be(RoomStates.Live);
        return result.Room;
    }

    private static RecordedFile Recorded(StreamId stream, int n) =>
        new(stream, new Uri($"https://live.example.com/recordings/{stream.Name}-{n}.flv"), T0.AddMinutes(n), TimeSpan.FromSeconds(10 * n), 1000 * n, "flv");

    private sealed class FakeProvider(string name) : StreamProviderBase(name, null)
    {
        public HashSet<StreamId> Online { get; } = [];

        public List<RecordedFile> Files { get; } = [];

        public bool Down { get; set; }

        public override ProviderCapabilities Capabilities { get; } = new(ProviderFeatures.StreamState | ProviderFeatures.Recording, [], []);

        protected override IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync(CancellationToken cancellationToken) =>
            Down
                ? throw new LiveCloudException("The emulated provider is down.") { Provider = Name, IsTransient = true }
                : Online.Select(s => new StreamState(s, StreamStatus.Active)).ToAsyncEnumerable();

        protected override IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
            Files.Where(f => f.Stream == stream).ToAsyncEnumerable();
    }
}
