using System.Globalization;
using System.Net;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Rooms;
using LiveCloud.Tencent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>
/// Issue 14's bounds: every in-memory structure fed by outside input stays bounded — Tencent's recording index (D6),
/// the per-room watcher lists — and the applied-event table is pruned. The replay test sends 10,000 callbacks signed
/// with ONE captured Tencent <c>(t, sign)</c> (which covers only <c>t</c>) and checks the managed heap.
/// </summary>
public sealed class BoundsTests(ITestOutputHelper output)
{
    /// <summary>The index bound the replay test configures (the default is 10,000).</summary>
    private const int IndexBound = 2_000;

    /// <summary>
    /// The stated bound: after 10,000 replays (each announcing a file with a 1,800-character URL, 5,000 for a room's
    /// stream and 5,000 for streams the app refuses), the managed heap has grown by less than this. The index keeps at
    /// most 2,000 files of about 4 KB; unbounded (as before), all 10,000 stayed: about 40 MB.
    /// </summary>
    private const long HeapGrowthBound = 20L * 1024 * 1024;

    [Fact]
    public async Task D6_Ten_thousand_replays_of_one_captured_Tencent_signature_keep_memory_bounded_and_nothing_for_refused_streams()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(
            configure: builder => builder.Services.Configure<InMemoryTencentRecordingIndexOptions>(o => o.MaxFiles = IndexBound));
        Room room = await host.AddRoomAsync("Tencent", "tc_bound_room");
        var index = (InMemoryTencentRecordingIndex)host.Services.GetRequiredService<ITencentRecordingIndex>();
        long t = SignedCallbacks.TencentT();
        string sign = LiveCloud.Testing.Emulators.Tencent.TencentApiEmulator.CallbackSign(CloudRoomsHost.TencentCallbackKey, t);
        string longPath = new('p', 1_800);

        async Task ReplayAsync(int i)
        {
            bool known = i % 2 == 1; // the last replay is for the room, so the index ends full
            string stream = known ? room.Stream.Name : "made_up_" + i.ToString(CultureInfo.InvariantCulture);
            string file = "file-" + i.ToString(CultureInfo.InvariantCulture);
            using HttpRequestMessage request = SignedCallbacks.Tencent(SignedCallbacks.TencentRecording(stream, file, $"https://vod.example.com/{longPath}/{file}.mp4"), t, sign);
            using HttpResponseMessage response = await host.Client.SendAsync(request);
            response.StatusCode.Should().Be(known ? HttpStatusCode.NoContent : HttpStatusCode.NotFound);
        }

        for (int i = 0; i < 200; i++)
        {
            await ReplayAsync(-2 - (2 * i)); // warm-up (refused streams): pools, caches and JIT before the baseline
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 10_000; i++)
        {
            await ReplayAsync(i);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"Managed heap {before / 1024} KiB → {after / 1024} KiB ({(after - before) / 1024} KiB) after 10,000 replays; index holds {index.Count} files.");

        index.Count.Should().Be(IndexBound, "the index keeps the newest 2,000 files");
        (await host.Services.GetRequiredService<StreamProviders>().Get("Tencent").ListRecordingsAsync(new StreamId("live", "made_up_1")).ToListAsync())
            .Should().BeEmpty("nothing is kept for a stream the app refused");
        (after - before).Should().BeLessThan(HeapGrowthBound);
    }

    [Fact]
    public async Task D6_The_in_memory_recording_index_is_bounded_by_count_and_by_age()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-05-01T00:00:00Z", CultureInfo.InvariantCulture));
        var index = new InMemoryTencentRecordingIndex(new InMemoryTencentRecordingIndexOptions { MaxFiles = 3, MaxAge = TimeSpan.FromHours(1) }, clock);
        var stream = new StreamId("live", "room1");
        RecordedFile File(int n) => new(stream, new Uri($"https://vod.example.com/{n}.mp4"), clock.GetUtcNow().AddMinutes(n), TimeSpan.FromMinutes(1), null, "mp4");

        for (int i = 0; i < 5; i++)
        {
            await index.AddAsync("e" + i, File(i), CancellationToken.None);
        }

        index.Count.Should().Be(3);
        (await index.ListAsync(stream, null, null, CancellationToken.None).ToListAsync()).Select(f => f.PlaybackUrl.AbsolutePath).Should().Equal("/2.mp4", "/3.mp4", "/4.mp4");

        await index.RemoveAsync("e3", CancellationToken.None);
        index.Count.Should().Be(2);

        clock.Advance(TimeSpan.FromMinutes(61));
        index.Count.Should().Be(0, "files announced more than MaxAge ago are forgotten");
        await index.AddAsync("e9", File(9), CancellationToken.None);
        (await index.ListAsync(stream, null, null, CancellationToken.None).ToListAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task Watching_rooms_that_do_not_exist_leaves_nothing_behind_and_a_room_has_at_most_its_watcher_limit()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(extraArgs: ["--LiveRooms:MaxWatchersPerRoom=3"]);
        RoomEventHub hub = host.Services.GetRequiredService<RoomEventHub>();
        for (int i = 0; i < 2_000; i++)
        {
            using HttpResponseMessage missing = await host.Client.GetAsync($"/api/rooms/{Guid.NewGuid():N}/events");
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        hub.WatchedRoomCount.Should().Be(0);

        Room room = await host.AddRoomAsync("Nginx", "ng_watched");
        var watchers = new List<SseReader>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                watchers.Add(new SseReader(host.Client, $"/api/rooms/{room.Id}/events"));
            }

            await Poll.UntilAsync(() => hub.WatcherCount(room.Id) == 3, "three watchers");
            using HttpResponseMessage fourth = await host.Client.GetAsync($"/api/rooms/{room.Id}/events", HttpCompletionOption.ResponseHeadersRead);
            fourth.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            fourth.Headers.RetryAfter.Should().NotBeNull();
        }
        finally
        {
            foreach (SseReader watcher in watchers)
            {
                await watcher.DisposeAsync();
            }
        }

        await Poll.UntilAsync(() => hub.WatchedRoomCount == 0, "the watchers to be gone");
    }

    [Fact]
    public void The_hub_forgets_a_room_when_its_last_watcher_leaves()
    {
        var hub = new RoomEventHub(maxWatchersPerRoom: 2);
        hub.TryWatch("a", out RoomEventHub.Subscription? one).Should().BeTrue();
        hub.TryWatch("a", out RoomEventHub.Subscription? two).Should().BeTrue();
        hub.TryWatch("a", out _).Should().BeFalse();
        hub.TryWatch("b", out RoomEventHub.Subscription? other).Should().BeTrue();
        one!.Dispose();
        one.Dispose();
        hub.WatcherCount("a").Should().Be(1);
        two!.Dispose();
        other!.Dispose();
        hub.WatchedRoomCount.Should().Be(0);
    }

    [Fact]
    public async Task Applied_event_ids_are_kept_for_the_retention_then_pruned()
    {
        string data = RoomsApp.NewDataDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-05-01T00:00:00Z", CultureInfo.InvariantCulture));
        using var store = new SqliteRoomStore("Data Source=" + Path.Combine(data, "rooms.db"), clock, TimeSpan.FromHours(2));
        try
        {
            var stream = new StreamId("live", "room_retention");
            await store.CreateAsync("r1", "Retention", "Tencent", stream, RoomStore.HashToken("t"), CancellationToken.None);
            for (int i = 0; i < 50; i++)
            {
                var e = new StreamEvent("Tencent", StreamEventKind.Other, stream, clock.GetUtcNow(), "tencent:" + i.ToString(CultureInfo.InvariantCulture));
                (await store.ApplyEventAsync(e with { Kind = i % 2 == 0 ? StreamEventKind.Published : StreamEventKind.Unpublished, SessionId = "s" + i.ToString(CultureInfo.InvariantCulture) }, null, CancellationToken.None))
                    .Outcome.Should().NotBe(EventOutcome.Duplicate);
            }

            (await store.CountEventsAsync(CancellationToken.None)).Should().Be(50);
            clock.Advance(TimeSpan.FromHours(3));
            var late = new StreamEvent("Tencent", StreamEventKind.Unpublished, stream, clock.GetUtcNow(), "tencent:late");
            await store.ApplyEventAsync(late, null, CancellationToken.None);
            (await store.CountEventsAsync(CancellationToken.None)).Should().Be(1, "only the event of the last two hours is kept");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
