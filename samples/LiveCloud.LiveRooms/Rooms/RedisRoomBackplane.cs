using System.Buffers;
using System.Text.Json;
using LiveCloud.LiveRooms.Data;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>
/// The Redis backplane (<c>LiveRooms:Backplane</c> = <c>Redis</c>, <c>ConnectionStrings:Redis</c>): every instance
/// publishes its room changes and cache invalidations as JSON on one pub/sub channel and subscribes to it, delivering
/// what the others sent to its own watchers (its own messages, already delivered locally, are skipped by their origin
/// id). While Redis is unreachable, messages are lost, so the room cache is off until the connection is back.
/// </summary>
internal sealed partial class RedisRoomBackplane : IRoomBackplane, IHostedService, IAsyncDisposable
{
    /// <summary>The pub/sub channel.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("livecloud:rooms");

    private readonly string _connectionString;
    private readonly RoomEventHub _hub;
    private readonly RoomCache _cache;
    private readonly ViewerCounts _viewers;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<RedisRoomBackplane> _logger;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;
    private ISubscriber? _subscriber;

    public RedisRoomBackplane(string connectionString, RoomEventHub hub, RoomCache cache, ViewerCounts viewers, IOptions<HttpJsonOptions> json, ILogger<RedisRoomBackplane> logger)
    {
        _connectionString = connectionString;
        _hub = hub;
        _cache = cache;
        _viewers = viewers;
        _json = json.Value.SerializerOptions;
        _logger = logger;
    }

    /// <summary>This instance's id in the messages it sends.</summary>
    public string Origin => _origin;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(_connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:Redis is not a StackExchange.Redis connection string (host:port[,option=value…]): {ex.Message}", ex);
        }

        options.ClientName ??= "livecloud-rooms";
        try
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"LiveRooms:Backplane is Redis but ConnectionStrings:Redis could not be reached: {ex.Message}", ex);
        }

        _redis.ConnectionFailed += (_, e) =>
        {
            LogConnection(_logger, "lost", e.FailureType.ToString());
            _cache.Clear(suspend: true);
        };
        _redis.ConnectionRestored += (_, e) =>
        {
            LogConnection(_logger, "restored", e.FailureType.ToString());
            _cache.Clear(suspend: false);
        };
        _subscriber = _redis.GetSubscriber();
        ChannelMessageQueue queue = await _subscriber.SubscribeAsync(Channel);
        queue.OnMessage(message => Receive(message.Message)); // one message at a time, in order
        _hub.UseBackplane(this);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscriber is { } subscriber)
        {
            _subscriber = null;
            await subscriber.UnsubscribeAsync(Channel);
        }
    }

    public void Publish(string roomId, RoomChange change)
    {
        if (_subscriber is not { } subscriber)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("origin", _origin);
            writer.WriteString("room", roomId);
            writer.WriteString("type", change.Type);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, change.Data, change.Data.GetType(), _json);
            writer.WriteEndObject();
        }

        Send(subscriber, buffer.WrittenMemory);
    }

    public void Invalidate(string roomId)
    {
        if (_subscriber is not { } subscriber)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("origin", _origin);
            writer.WriteString("room", roomId);
            writer.WriteBoolean("invalidate", true);
            writer.WriteEndObject();
        }

        Send(subscriber, buffer.WrittenMemory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private void Send(ISubscriber subscriber, ReadOnlyMemory<byte> message)
    {
        try
        {
            subscriber.Publish(Channel, message, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            LogSendFailed(_logger, ex.Message);
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            using var document = JsonDocument.Parse((ReadOnlyMemory<byte>)message);
            JsonElement root = document.RootElement;
            if (root.GetProperty("origin").GetString() == _origin)
            {
                return; // delivered here already, before it was sent
            }

            string room = root.GetProperty("room").GetString()!;
            if (root.TryGetProperty("invalidate", out _))
            {
                _cache.Invalidate(room);
                return;
            }

            string type = root.GetProperty("type").GetString()!;
            if (type == ViewerCounts.InstanceChangeType)
            {
                _viewers.Receive(room, root.GetProperty("data"));
                return;
            }

            _hub.Deliver(room, new RoomChange(type, root.GetProperty("data").Clone()));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            LogBadMessage(_logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 80, Level = LogLevel.Warning, Message = "Redis backplane connection {What} ({Failure}); the room cache is off while it is down")]
    private static partial void LogConnection(ILogger logger, string what, string failure);

    [LoggerMessage(EventId = 81, Level = LogLevel.Warning, Message = "Redis backplane: a message could not be sent: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Redis backplane: a message on the channel is not one of ours: {Reason}")]
    private static partial void LogBadMessage(ILogger logger, string reason);
}
