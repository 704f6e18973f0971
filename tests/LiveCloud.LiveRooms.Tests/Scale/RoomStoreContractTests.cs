using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>
/// What every <see cref="IRoomStore"/> does, run against SQLite (<see cref="SqliteRoomStoreTests"/>) and PostgreSQL
/// (<see cref="PostgresRoomStoreTests"/>): the same calls, the same answers.
/// </summary>
public abstract class RoomStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected IRoomStore Store { get; private set; } = null!;

    /// <summary>A store with the reconnect window given (over a new, empty database for PostgreSQL).</summary>
    protected abstract Task<IRoomStore> CreateStoreAsync(TimeSpan reconnectWindow);

    public async Task InitializeAsync() => Store = await CreateStoreAsync(TimeSpan.Zero);

    public virtual Task DisposeAsync()
    {
        Store?.Dispose();
        return Task.CompletedTask;
    }

    protected static StreamId StreamOf(string id) => new("live", "room_" + id);

    protected async Task<Room> CreateAsync(string id, string provider = "Nginx", long? wechat = null) =>
        await Store.CreateAsync(id, "Room " + id, provider, StreamOf(id), RoomStore.HashToken("token-" + id), wechat, CancellationToken.None);

    protected static StreamEvent Event(string id, StreamEventKind kind, string eventId, int second, string? session = null, string provider = "nginx") =>
        new(provider, kind, StreamOf(id), T0.AddSeconds(second), eventId) { SessionId = session };

    [SkippableFact]
    public async Task A_created_room_is_found_by_id_stream_and_list_and_its_host_token_checks()
    {
        Room created = await CreateAsync("a1");
        await CreateAsync("a2");
        created.State.Should().Be(RoomStates.Idle);

        Room? found = await Store.FindAsync("a1", CancellationToken.None);
        found.Should().BeEquivalentTo(created);
        (await Store.FindAsync("nope", CancellationToken.None)).Should().BeNull();
        (await Store.IsHostAsync("a1", "token-a1", CancellationToken.None)).Should().BeTrue();
        (await Store.IsHostAsync("a1", "token-a2", CancellationToken.None)).Should().BeFalse();
        (await Store.IsHostAsync("nope", "token-a1", CancellationToken.None)).Should().BeFalse();
        (await Store.FindByStreamAsync(StreamOf("a1"), CancellationToken.None))!.Id.Should().Be("a1");
        (await Store.FindByStreamAsync(StreamOf("a1"), "NGINX", CancellationToken.None))!.Id.Should().Be("a1");
        (await Store.FindByStreamAsync(StreamOf("a1"), "Tencent", CancellationToken.None)).Should().BeNull();

        (IReadOnlyList<Room> page, int total) = await Store.ListAsync(1, 1, CancellationToken.None);
        total.Should().Be(2);
        page.Should().ContainSingle().Which.Id.Should().Be("a2", "newest first");
        (await Store.ListAsync(2, 1, CancellationToken.None)).Rooms.Single().Id.Should().Be("a1");
        (await Store.ListAsync(1, 10, RoomKinds.Plugin, CancellationToken.None)).Total.Should().Be(0);
        (await Store.ListInStateAsync(RoomStates.Idle, CancellationToken.None)).Select(r => r.Id).Should().Equal("a1", "a2");
    }

    [SkippableFact]
    public async Task A_wechat_room_belongs_to_one_room_of_its_provider()
    {
        Room plugin = await CreateAsync("w1", "WeChat", wechat: 42);
        plugin.Kind.Should().Be(RoomKinds.Plugin);
        (await Store.FindByWeChatRoomAsync("WeChat", 42, CancellationToken.None))!.Id.Should().Be("w1");
        Func<Task> again = () => Store.CreateAsync("w2", "again", "WeChat", StreamOf("w2"), RoomStore.HashToken("t"), 42, CancellationToken.None);
        await again.Should().ThrowAsync<InvalidOperationException>().WithMessage("*42*");
        (await Store.ListAsync(1, 10, RoomKinds.Plugin, CancellationToken.None)).Total.Should().Be(1);
    }

    [SkippableFact]
    public async Task Publish_and_unpublish_apply_once_and_stale_events_change_nothing()
    {
        await CreateAsync("p1");
        EventResult live = await Store.ApplyEventAsync(Event("p1", StreamEventKind.Published, "pub-1", 10), null, CancellationToken.None);
        live.Outcome.Should().Be(EventOutcome.Changed);
        live.Room!.State.Should().Be(RoomStates.Live);
        (await Store.ApplyEventAsync(Event("p1", StreamEventKind.Published, "pub-1", 10), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.Duplicate);
        (await Store.FindAsync("p1", CancellationToken.None))!.LiveSince.Should().Be(T0.AddSeconds(10));

        (await Store.ApplyEventAsync(Event("p1", StreamEventKind.Unpublished, "unpub-1", 20), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.Changed);
        (await Store.FindAsync("p1", CancellationToken.None))!.State.Should().Be(RoomStates.Idle);

        // A publish older than the last unpublish (a late redelivery of another event id) is stale.
        (await Store.ApplyEventAsync(Event("p1", StreamEventKind.Published, "pub-0", 15), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.Unchanged);
        (await Store.FindAsync("p1", CancellationToken.None))!.State.Should().Be(RoomStates.Idle);
        (await Store.CountEventsAsync(CancellationToken.None)).Should().Be(3);
        (await Store.ApplyEventAsync(Event("nope", StreamEventKind.Published, "pub-x", 30), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.UnknownStream);
    }

    [SkippableFact]
    public async Task Within_the_reconnect_window_an_unpublish_keeps_the_room_live_as_host_lost_and_a_publish_continues_the_show()
    {
        using IRoomStore store = await CreateStoreAsync(TimeSpan.FromMinutes(5));
        await store.CreateAsync("r1", "Room r1", "Nginx", StreamOf("r1"), RoomStore.HashToken("token-r1"), null, CancellationToken.None);
        await store.ApplyEventAsync(Event("r1", StreamEventKind.Published, "pub-1", 10, session: "1"), null, CancellationToken.None);

        EventResult lost = await store.ApplyEventAsync(Event("r1", StreamEventKind.Unpublished, "done-1", 20, session: "1"), null, CancellationToken.None);
        lost.Outcome.Should().Be(EventOutcome.Changed);
        Room stored = (await store.FindAsync("r1", CancellationToken.None))!;
        stored.State.Should().Be(RoomStates.Live, "the show goes on within the window");
        stored.HostLostAt.Should().Be(T0.AddSeconds(20));

        EventResult back = await store.ApplyEventAsync(Event("r1", StreamEventKind.Published, "pub-2", 30, session: "2"), null, CancellationToken.None);
        back.Outcome.Should().Be(EventOutcome.Changed, "watchers hear the host is back");
        Room again = (await store.FindAsync("r1", CancellationToken.None))!;
        again.HostLostAt.Should().BeNull();
        again.LiveSince.Should().Be(T0.AddSeconds(10), "one show: it went live once");

        // The window's end is applied by the app through the reconciliation call: idle only with no newer publish.
        await store.ApplyEventAsync(Event("r1", StreamEventKind.Unpublished, "done-2", 40, session: "2"), null, CancellationToken.None);
        (await store.MarkIdleIfNoPublishSinceAsync("r1", T0.AddSeconds(35), CancellationToken.None)).Should().NotBeNull();
        (await store.FindAsync("r1", CancellationToken.None))!.State.Should().Be(RoomStates.Idle);
    }

    [SkippableFact]
    public async Task A_publish_whose_own_unpublish_came_first_is_stale()
    {
        await CreateAsync("o1");
        await Store.ApplyEventAsync(Event("o1", StreamEventKind.Unpublished, "done-7", 30, session: "7"), null, CancellationToken.None);
        EventResult late = await Store.ApplyEventAsync(Event("o1", StreamEventKind.Published, "pub-7", 40, session: "7"), "done-7", CancellationToken.None);
        late.Outcome.Should().Be(EventOutcome.Unchanged);
        (await Store.FindAsync("o1", CancellationToken.None))!.State.Should().Be(RoomStates.Idle);
    }

    [SkippableFact]
    public async Task A_room_stays_live_while_another_push_session_is_on_and_sessions_are_bounded()
    {
        await CreateAsync("s1");
        await Store.ApplyEventAsync(Event("s1", StreamEventKind.Published, "pub-a", 10, session: "a"), null, CancellationToken.None);
        await Store.ApplyEventAsync(Event("s1", StreamEventKind.Published, "pub-b", 11, session: "b"), null, CancellationToken.None);
        (await Store.ApplyEventAsync(Event("s1", StreamEventKind.Unpublished, "unpub-a", 12, session: "a"), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.Unchanged);
        (await Store.FindAsync("s1", CancellationToken.None))!.State.Should().Be(RoomStates.Live);
        (await Store.ApplyEventAsync(Event("s1", StreamEventKind.Unpublished, "unpub-b", 13, session: "b"), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.Changed);
        (await Store.FindAsync("s1", CancellationToken.None))!.State.Should().Be(RoomStates.Idle);

        for (int i = 0; i < RoomStore.MaxSessionsPerRoom * 2; i++)
        {
            await Store.ApplyEventAsync(Event("s1", StreamEventKind.Published, "many-" + i, 100 + i, session: "m" + i), null, CancellationToken.None);
        }

        (await Store.CountSessionsAsync("s1", CancellationToken.None)).Should().Be(RoomStore.MaxSessionsPerRoom);
    }

    [SkippableFact]
    public async Task An_ended_room_refuses_publishes_and_ends_once()
    {
        await CreateAsync("e1");
        await Store.ApplyEventAsync(Event("e1", StreamEventKind.Published, "pub-1", 10), null, CancellationToken.None);
        (Room? ended, bool changed) = await Store.EndAsync("e1", CancellationToken.None);
        changed.Should().BeTrue();
        ended!.State.Should().Be(RoomStates.Ended);
        ended.EndedAt.Should().NotBeNull();
        (await Store.EndAsync("e1", CancellationToken.None)).Changed.Should().BeFalse();
        (await Store.ApplyEventAsync(Event("e1", StreamEventKind.Published, "pub-2", 20), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.RefusedEnded);
        (await Store.ApplyEventAsync(Event("e1", StreamEventKind.Published, "pub-2", 20), null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.RefusedEnded, "a refused publish is not recorded");
        (await Store.CountSessionsAsync("e1", CancellationToken.None)).Should().Be(0);
        (await Store.EndAsync("nope", CancellationToken.None)).Room.Should().BeNull();
    }

    [SkippableFact]
    public async Task Reconciliation_sets_live_rooms_idle_only_when_no_publish_is_newer()
    {
        await CreateAsync("r1");
        await Store.ApplyEventAsync(Event("r1", StreamEventKind.Published, "pub-1", 10), null, CancellationToken.None);
        (await Store.MarkIdleIfNoPublishSinceAsync("r1", T0.AddSeconds(5), CancellationToken.None)).Should().BeNull("it published after");
        (await Store.MarkIdleIfNoPublishSinceAsync("r1", T0.AddSeconds(11), CancellationToken.None))!.State.Should().Be(RoomStates.Idle);
        (await Store.MarkIdleIfLiveAsync("r1", CancellationToken.None)).Should().BeFalse();
        await Store.ApplyEventAsync(Event("r1", StreamEventKind.Published, "pub-2", 20), null, CancellationToken.None);
        (await Store.MarkIdleIfLiveAsync("r1", CancellationToken.None)).Should().BeTrue();
        (await Store.ListInStateAsync(RoomStates.Live, CancellationToken.None)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Recordings_are_added_once_per_event_and_per_playback_url()
    {
        await CreateAsync("c1");
        var file = new RecordedFile(StreamOf("c1"), new Uri("http://127.0.0.1/rec/c1-1.flv"), T0.AddSeconds(10), TimeSpan.FromSeconds(30), 1234, "flv");
        StreamEvent ready = Event("c1", StreamEventKind.RecordingReady, "rec-1", 40) with { Recording = file };
        EventResult result = await Store.ApplyEventAsync(ready, null, CancellationToken.None);
        result.Outcome.Should().Be(EventOutcome.Changed);
        result.Recording!.PlaybackUrl.Should().Be(file.PlaybackUrl);
        (await Store.ApplyEventAsync(ready, null, CancellationToken.None)).Outcome.Should().Be(EventOutcome.Duplicate);
        (await Store.AddRecordingIfMissingAsync("c1", file, CancellationToken.None)).Should().BeNull();
        var other = file with { PlaybackUrl = new Uri("records/c1-2.mp4", UriKind.Relative), SizeBytes = null, Format = "mp4" };
        (await Store.AddRecordingIfMissingAsync("c1", other, CancellationToken.None)).Should().NotBeNull();
        IReadOnlyList<RoomRecording> recordings = await Store.ListRecordingsAsync("c1", CancellationToken.None);
        recordings.Select(r => r.PlaybackUrl.OriginalString).Should().Equal("http://127.0.0.1/rec/c1-1.flv", "records/c1-2.mp4");
        recordings[0].SizeBytes.Should().Be(1234);
        recordings[1].SizeBytes.Should().BeNull();
    }

    [SkippableFact]
    public async Task Relays_change_when_their_status_does_and_a_stopped_relay_stays_stopped()
    {
        await CreateAsync("l1");
        var relay = new RoomRelay("rel-1", "l1", "Nginx", "relay-9", "rtmp://example.com/app/***", RelayStatus.Starting, null, T0, T0);
        await Store.AddRelayAsync(relay, CancellationToken.None);
        (await Store.ListRelaysAsync("l1", CancellationToken.None)).Should().ContainSingle().Which.Should().BeEquivalentTo(relay);
        RoomRelay? running = await Store.UpdateRelayAsync("NGINX", "relay-9", RelayStatus.Running, null, CancellationToken.None);
        running!.Status.Should().Be(RelayStatus.Running);
        (await Store.UpdateRelayAsync("nginx", "relay-9", RelayStatus.Running, null, CancellationToken.None)).Should().BeNull("nothing changed");
        (await Store.UpdateRelayAsync("nginx", "relay-9", RelayStatus.Retrying, "reset", CancellationToken.None))!.Reason.Should().Be("reset");
        await Store.UpdateRelayAsync("nginx", "relay-9", RelayStatus.Stopped, null, CancellationToken.None);
        (await Store.UpdateRelayAsync("nginx", "relay-9", RelayStatus.Running, null, CancellationToken.None)).Should().BeNull("a stopped relay stays stopped");
        (await Store.UpdateRelayAsync("nginx", "other", RelayStatus.Running, null, CancellationToken.None)).Should().BeNull();
    }
}

/// <summary>The store contract on SQLite.</summary>
public sealed class SqliteRoomStoreTests : RoomStoreContractTests
{
    private readonly string _folder = RoomsApp.NewDataDirectory();

    protected override Task<IRoomStore> CreateStoreAsync(TimeSpan reconnectWindow) =>
        Task.FromResult<IRoomStore>(new SqliteRoomStore("Data Source=" + Path.Combine(_folder, "rooms.db"), TimeProvider.System) { ReconnectWindow = reconnectWindow });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>The store contract on PostgreSQL (a fresh database per test), and what only several instances can do.</summary>
[Collection(ScaleGroup.Name)]
[Trait("Category", "RealParts")]
public sealed class PostgresRoomStoreTests(ScaleFixture fixture) : RoomStoreContractTests
{
    private string _database = null!;

    protected override async Task<IRoomStore> CreateStoreAsync(TimeSpan reconnectWindow)
    {
        ScaleFixture.Require(); // skips (fails under CI) when PostgreSQL is not installed
        _database = await fixture.Postgres.CreateDatabaseAsync();
        return new PostgresRoomStore(_database, TimeProvider.System) { ReconnectWindow = reconnectWindow };
    }

    [SkippableFact]
    public async Task Two_instances_starting_at_once_migrate_once_and_the_same_event_applies_once()
    {
        ScaleFixture.Require();
        string fresh = await fixture.Postgres.CreateDatabaseAsync();
        IRoomStore[] stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => (IRoomStore)new PostgresRoomStore(fresh, TimeProvider.System))));
        try
        {
            await stores[0].CreateAsync("d1", "dup", "Nginx", StreamOf("d1"), RoomStore.HashToken("t"), CancellationToken.None);
            StreamEvent publish = Event("d1", StreamEventKind.Published, "pub-same", 10);
            EventResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => stores[i % stores.Length].ApplyEventAsync(publish, null, CancellationToken.None)));
            results.Count(r => r.Outcome == EventOutcome.Changed).Should().Be(1);
            results.Count(r => r.Outcome == EventOutcome.Duplicate).Should().Be(7);
            (await stores[1].CountEventsAsync(CancellationToken.None)).Should().Be(1);
            (await stores[2].FindAsync("d1", CancellationToken.None))!.State.Should().Be(RoomStates.Live);
        }
        finally
        {
            foreach (IRoomStore store in stores)
            {
                store.Dispose();
            }
        }
    }
}
