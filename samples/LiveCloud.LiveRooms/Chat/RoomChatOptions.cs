namespace LiveCloud.LiveRooms.Chat;

/// <summary>
/// The limits of the embedded room channel, <c>GET /api/rooms/{id}/ws</c> (configuration section <c>LiveRooms:Chat</c>).
/// Everything over a limit is refused with an <c>error</c> frame or a close reason that says which limit.
/// </summary>
public sealed class RoomChatOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "LiveRooms:Chat";

    /// <summary>The longest nickname (same character rules as room titles).</summary>
    public const int MaxNicknameLength = 24;

    /// <summary>The longest chat message, in characters (default 500).</summary>
    public int MaxMessageLength { get; set; } = 500;

    /// <summary>The largest frame a client may send, in bytes (default 4096); a larger one closes the socket with 1009.</summary>
    public int MaxFrameBytes { get; set; } = 4096;

    /// <summary>Messages per second a connection may send on average (default 5; token bucket).</summary>
    public double MessagesPerSecond { get; set; } = 5;

    /// <summary>Messages a connection may send at once (default 10; the bucket's size).</summary>
    public int MessageBurst { get; set; } = 10;

    /// <summary>Sockets one room may have on this instance (default 10,000); one more is closed with 4429.</summary>
    public int MaxConnectionsPerRoom { get; set; } = 10_000;

    /// <summary>Sockets one client address may have open on this instance (default 20); one more is closed with 4429.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 20;

    /// <summary>How often the server pings an idle socket (default 15 s).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a ping may go unanswered before the socket is dropped (default 30 s).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one send to a client may take before the client counts as gone (default 10 s).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long viewer chat tokens are valid (default 12 hours).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The key chat tokens are signed with (at least 32 characters). Default: generated once into the data folder
    /// (<c>chat-signing-key</c>); instances behind one load balancer must share it.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The recent messages kept per room and sent to a client when it connects (default 50).</summary>
    public int HistorySize { get; set; } = 50;

    /// <summary>How long viewer-count changes are gathered before one <c>viewers</c> frame (default 1 s).</summary>
    public TimeSpan ViewerCountDebounce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// With several instances: how often each sends its viewer counts again (default 15 s); an instance not heard for
    /// three times this (stopped without saying so) drops out of the <c>viewers</c> count.
    /// </summary>
    public TimeSpan ViewerCountRefresh { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Adds a message per bad setting, naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        string p = SectionName;
        Check(MaxMessageLength is >= 1 and <= 10_000, $"{p}:MaxMessageLength must be 1–10000; got {MaxMessageLength}.");
        Check(MaxFrameBytes >= 256 && MaxFrameBytes <= 1 << 20, $"{p}:MaxFrameBytes must be 256–1048576; got {MaxFrameBytes}.");
        Check(MessagesPerSecond > 0, $"{p}:MessagesPerSecond must be positive; got {MessagesPerSecond}.");
        Check(MessageBurst >= 1, $"{p}:MessageBurst must be at least 1; got {MessageBurst}.");
        Check(MaxConnectionsPerRoom >= 1, $"{p}:MaxConnectionsPerRoom must be at least 1; got {MaxConnectionsPerRoom}.");
        Check(MaxConnectionsPerAddress >= 1, $"{p}:MaxConnectionsPerAddress must be at least 1; got {MaxConnectionsPerAddress}.");
        Check(KeepAliveInterval > TimeSpan.Zero, $"{p}:KeepAliveInterval must be positive; got {KeepAliveInterval}.");
        Check(KeepAliveTimeout > TimeSpan.Zero, $"{p}:KeepAliveTimeout must be positive; got {KeepAliveTimeout}.");
        Check(SendTimeout > TimeSpan.Zero, $"{p}:SendTimeout must be positive; got {SendTimeout}.");
        Check(TokenLifetime >= TimeSpan.FromMinutes(1), $"{p}:TokenLifetime must be at least 1 minute; got {TokenLifetime}.");
        Check(SigningKey is null || SigningKey.Length >= 32, $"{p}:SigningKey must be at least 32 characters (got {SigningKey?.Length ?? 0}); leave it unset to use a generated key.");
        Check(HistorySize is >= 0 and <= 1000, $"{p}:HistorySize must be 0–1000; got {HistorySize}.");
        Check(ViewerCountDebounce >= TimeSpan.Zero, $"{p}:ViewerCountDebounce must not be negative; got {ViewerCountDebounce}.");
        Check(ViewerCountRefresh > TimeSpan.Zero, $"{p}:ViewerCountRefresh must be positive; got {ViewerCountRefresh}.");
        return failures;

        void Check(bool ok, string failure)
        {
            if (!ok)
            {
                failures.Add(failure);
            }
        }
    }
}
