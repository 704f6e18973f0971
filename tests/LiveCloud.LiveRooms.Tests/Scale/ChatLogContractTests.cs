using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>
/// What every <see cref="IChatLog"/> does, run against SQLite (<see cref="SqliteChatLogTests"/>) and PostgreSQL
/// (<see cref="PostgresChatLogTests"/>): the same calls, the same answers.
/// </summary>
public abstract class ChatLogContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A log keeping <paramref name="historySize"/> messages per room (over a new, empty database for PostgreSQL).</summary>
    protected abstract Task<IChatLog> CreateLogAsync(int historySize);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static ChatMessage Message(int n, string user = "v_1", bool host = false) =>
        new("m" + n, new ChatSender(user, "Nick <b>" + user + "</b> 👋", host), "text " + n + " <i>as is</i>\nline two", T0.AddSeconds(n));

    [SkippableFact]
    public async Task A_room_keeps_its_last_messages_oldest_first_and_rooms_do_not_mix()
    {
        IChatLog log = await CreateLogAsync(3);
        for (int n = 1; n <= 5; n++)
        {
            await log.AppendAsync("r1", Message(n, host: n == 4), CancellationToken.None);
        }

        await log.AppendAsync("r2", Message(9, "v_2"), CancellationToken.None);

        IReadOnlyList<ChatMessage> recent = await log.RecentAsync("r1", CancellationToken.None);
        recent.Should().BeEquivalentTo([Message(3), Message(4, host: true), Message(5)], o => o.WithStrictOrdering());
        (await log.RecentAsync("r2", CancellationToken.None)).Should().ContainSingle().Which.Should().Be(Message(9, "v_2"));
        (await log.RecentAsync("none", CancellationToken.None)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Moderation_is_kept_per_room_and_undone()
    {
        IChatLog log = await CreateLogAsync(10);
        (await log.ModerationAsync("r1", CancellationToken.None)).Should().BeEquivalentTo(new ChatModeration(new HashSet<string>(), new HashSet<string>(), false));

        await log.SetAsync("r1", "v_1", "mute", true, CancellationToken.None);
        await log.SetAsync("r1", "v_1", "mute", true, CancellationToken.None); // twice is once
        await log.SetAsync("r1", "v_2", "remove", true, CancellationToken.None);
        await log.SetAsync("r1", "*", "closed", true, CancellationToken.None);
        await log.SetAsync("r2", "v_3", "mute", true, CancellationToken.None);

        ChatModeration r1 = await log.ModerationAsync("r1", CancellationToken.None);
        r1.Muted.Should().BeEquivalentTo(["v_1"]);
        r1.Removed.Should().BeEquivalentTo(["v_2"]);
        r1.Closed.Should().BeTrue();

        await log.SetAsync("r1", "v_1", "mute", false, CancellationToken.None);
        await log.SetAsync("r1", "*", "closed", false, CancellationToken.None);
        r1 = await log.ModerationAsync("r1", CancellationToken.None);
        r1.Muted.Should().BeEmpty();
        r1.Removed.Should().BeEquivalentTo(["v_2"]);
        r1.Closed.Should().BeFalse();
        (await log.ModerationAsync("r2", CancellationToken.None)).Muted.Should().BeEquivalentTo(["v_3"]);
    }
}

/// <summary>The chat log contract on SQLite.</summary>
public sealed class SqliteChatLogTests : ChatLogContractTests
{
    private readonly string _folder = RoomsApp.NewDataDirectory();

    protected override Task<IChatLog> CreateLogAsync(int historySize) =>
        Task.FromResult<IChatLog>(new SqliteChatLog("Data Source=" + Path.Combine(_folder, "rooms.db"), historySize));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The chat log contract on PostgreSQL (a fresh database per test), and what only several instances can do.</summary>
[Collection(ScaleGroup.Name)]
[Trait("Category", "RealParts")]
public sealed class PostgresChatLogTests(ScaleFixture fixture) : ChatLogContractTests
{
    private readonly List<PostgresChatLog> _logs = [];

    protected override async Task<IChatLog> CreateLogAsync(int historySize)
    {
        ScaleFixture.Require(); // skips (fails under CI) when PostgreSQL is not installed
        var log = new PostgresChatLog(await fixture.Postgres.CreateDatabaseAsync(), historySize);
        _logs.Add(log);
        return log;
    }

    public override Task DisposeAsync()
    {
        _logs.ForEach(log => log.Dispose());
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task Instances_starting_at_once_create_the_tables_once_and_share_history_and_moderation()
    {
        ScaleFixture.Require();
        string fresh = await fixture.Postgres.CreateDatabaseAsync();
        _logs.AddRange(await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new PostgresChatLog(fresh, 10)))));
        await _logs[0].AppendAsync("r1", Message(1), CancellationToken.None);
        await _logs[1].SetAsync("r1", "v_1", "mute", true, CancellationToken.None);
        (await _logs[2].RecentAsync("r1", CancellationToken.None)).Select(m => m.Id).Should().Equal("m1");
        (await _logs[3].ModerationAsync("r1", CancellationToken.None)).Muted.Should().Contain("v_1");

        static ChatMessage Message(int n) => new("m" + n, new ChatSender("v_1", "n", false), "t", DateTimeOffset.UnixEpoch);
    }
}
