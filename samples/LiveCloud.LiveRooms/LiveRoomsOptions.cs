namespace LiveCloud.LiveRooms;

/// <summary>The sample's own settings (configuration section <c>LiveRooms</c>).</summary>
public sealed class LiveRoomsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "LiveRooms";

    /// <summary>The longest room title accepted.</summary>
    public const int MaxTitleLength = 100;

    /// <summary>The largest page of <c>GET /api/rooms</c>.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The default of <see cref="MaxWatchersPerRoom"/>.</summary>
    public const int DefaultMaxWatchersPerRoom = 10_000;

    /// <summary>
    /// The app's data folder: the SQLite database (unless <c>ConnectionStrings:Rooms</c> says otherwise), the
    /// generated development signing key and the nginx work folder. Default: <c>data</c> under the content root.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The stream application rooms stream under (nginx <c>AppName</c>, Tencent/Aliyun <c>AppName</c>, Qiniu hub); default <c>live</c>.</summary>
    public string StreamApp { get; set; } = "live";

    /// <summary>How long a push URL is accepted for new pushes (default 2 hours).</summary>
    public TimeSpan PushUrlLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long play URLs stay valid (default 5 minutes; the web page refreshes them before they expire).</summary>
    public TimeSpan PlayUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rooms one client address may create per <see cref="CreateRoomWindow"/> (default 10).</summary>
    public int CreateRoomPermitLimit { get; set; } = 10;

    /// <summary>The window of <see cref="CreateRoomPermitLimit"/> (default 1 minute).</summary>
    public TimeSpan CreateRoomWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most Server-Sent Events streams that may watch one room at once (default 10,000); one more is answered 503
    /// with <c>Retry-After</c>. Each holds at most 64 undelivered changes.
    /// </summary>
    public int MaxWatchersPerRoom { get; set; } = DefaultMaxWatchersPerRoom;

    /// <summary>Whether a recording starts when a room goes live (default on, where the provider records).</summary>
    public bool RecordShows { get; set; } = true;

    /// <summary>Whether the app starts and stops the local nginx-rtmp server when the provider is Nginx (default on).</summary>
    public bool StartNginx { get; set; } = true;

    /// <summary>
    /// How often rooms stored as live are checked against what the provider reports online (default 10 s; zero turns
    /// the timer off). A local nginx's restarts trigger a check at once too.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a host that stopped pushing may come back and continue the same show (default 30 s; zero ends the show
    /// at once, as before): meanwhile the room reads <c>reconnecting</c>, and it goes idle when the window passes. With a
    /// multi-cloud provider its own <c>ReconnectWindow</c> applies instead.
    /// </summary>
    public TimeSpan ReconnectWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether <c>GET /api/bench/fixed/{bytes}</c> is mapped: a fixed JSON of that many bytes, the ceiling the load test
    /// (scripts/bench.sh) compares <c>GET /api/rooms/{id}</c> with. Off by default; never turn it on in production.
    /// </summary>
    public bool BenchmarkEndpoints { get; set; }

    /// <summary>Adds a message per bad setting, naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        string p = SectionName;
        if (!StreamId.IsValidPart(StreamApp))
        {
            failures.Add($"{p}:StreamApp must be 1–256 characters from A–Z a–z 0–9 _ - . =; got '{StreamApp}'.");
        }

        if (PushUrlLifetime < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{p}:PushUrlLifetime must be at least 1 minute; got {PushUrlLifetime}.");
        }

        if (PlayUrlLifetime < TimeSpan.FromSeconds(30))
        {
            failures.Add($"{p}:PlayUrlLifetime must be at least 30 seconds; got {PlayUrlLifetime}.");
        }

        if (CreateRoomPermitLimit < 1)
        {
            failures.Add($"{p}:CreateRoomPermitLimit must be at least 1; got {CreateRoomPermitLimit}.");
        }

        if (ReconcileInterval < TimeSpan.Zero)
        {
            failures.Add($"{p}:ReconcileInterval must not be negative (zero turns it off); got {ReconcileInterval}.");
        }

        if (ReconnectWindow < TimeSpan.Zero || ReconnectWindow > TimeSpan.FromHours(1))
        {
            failures.Add($"{p}:ReconnectWindow must be from 00:00:00 (off) to 01:00:00; got {ReconnectWindow}.");
        }

        if (CreateRoomWindow <= TimeSpan.Zero)
        {
            failures.Add($"{p}:CreateRoomWindow must be positive; got {CreateRoomWindow}.");
        }

        if (MaxWatchersPerRoom < 1)
        {
            failures.Add($"{p}:MaxWatchersPerRoom must be at least 1; got {MaxWatchersPerRoom}.");
        }

        return failures;
    }
}
