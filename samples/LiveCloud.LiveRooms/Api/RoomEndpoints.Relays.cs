using System.Security.Cryptography;
using System.Text.Json;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Rooms;

namespace LiveCloud.LiveRooms.Api;

/// <summary>
/// "Also stream to" targets (issue 16): the host adds a platform's server and stream key, and the room's provider
/// relays the room's stream there (<see cref="IStreamProvider.StartRelayAsync"/>). Keys are never stored, logged or
/// answered: targets are kept and shown redacted (<see cref="RelayUrls.Redact"/>).
/// </summary>
public static partial class RoomEndpoints
{
    /// <summary>The most targets a room relays to at once (stopped, failed and ended ones do not count).</summary>
    public const int MaxRelaysPerRoom = 5;

    private const int MaxTargetLength = 2048;

    private static void MapRelayEndpoints(RouteGroupBuilder rooms)
    {
        rooms.MapGet("/{id}/relays", RelaysAsync);
        rooms.MapPost("/{id}/relays", AddRelayAsync);
        rooms.MapDelete("/{id}/relays/{relayId}", StopRelayAsync);
    }

    private static async Task<IResult> RelaysAsync(string id, IRoomStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is null)
        {
            return RoomNotFound(id);
        }

        return TypedResults.Ok(new RelayListDto([.. (await store.ListRelaysAsync(id, cancellationToken)).Select(RoomDtos.Relay)]));
    }

    private static async Task<IResult> AddRelayAsync(string id, HttpContext context, IRoomStore store, StreamProviders providers, RoomNotifier notifier, TimeProvider time, ILoggerFactory loggers)
    {
        (Room? room, IResult? denied) = await AuthorizeHostAsync(id, context, store);
        if (denied is not null)
        {
            return denied;
        }

        if (room!.State == RoomStates.Ended)
        {
            return Problem(StatusCodes.Status409Conflict, "The room has ended.", $"Room '{id}' has ended; it relays nothing any more.");
        }

        IStreamProvider provider = ProviderOf(room, providers);
        if (room.IsPlugin || !provider.Capabilities.Supports(ProviderFeatures.PushRelay))
        {
            return Problem(StatusCodes.Status409Conflict, "This room's provider cannot relay.", $"The provider of room '{id}' ({provider.Name}) has no push relays{(room.IsPlugin ? " (WeChat offers none)" : string.Empty)}; see the README's provider table.");
        }

        (JsonElement? body, IResult? bad) = await ReadJsonObjectAsync(context, required: true);
        if (bad is not null)
        {
            return bad;
        }

        string? server = RoomInput.Text(body!.Value, "server", out _)?.Trim();
        string? key = RoomInput.Text(body.Value, "streamKey", out _)?.Trim();
        if (string.IsNullOrEmpty(server) || server.Length > MaxTargetLength)
        {
            return Invalid("server", $"server is required: the platform's ingest server, e.g. rtmp://live-push.example.com/live/ (at most {MaxTargetLength} characters).");
        }

        if (string.IsNullOrEmpty(key) || key.Length > MaxTargetLength || key.Any(char.IsControl))
        {
            return Invalid("streamKey", $"streamKey is required: the stream key the platform gave (at most {MaxTargetLength} characters, no control characters).");
        }

        // As OBS joins them: the server, a slash, the key (a key may start with '?', as Bilibili's does).
        string joined = server.EndsWith('/') || key.StartsWith('?') ? server + key : server + "/" + key;
        if (!Uri.TryCreate(joined, UriKind.Absolute, out Uri? target))
        {
            return Invalid("server", $"server and streamKey do not make a URL; the server should look like rtmp://live-push.example.com/live/ (got {(Uri.TryCreate(server, UriKind.Absolute, out Uri? s) ? RelayUrls.Redact(s) : "text that is not a URL")}).");
        }

        if ((await store.ListRelaysAsync(id, context.RequestAborted)).Count(r => !r.IsOver) >= MaxRelaysPerRoom)
        {
            return Problem(StatusCodes.Status409Conflict, "Too many targets.", $"Room '{id}' already streams to {MaxRelaysPerRoom} targets; stop one first.");
        }

        RelayTask task;
        try
        {
            task = await provider.StartRelayAsync(RelayRequest.PushTo(room.Stream, target), context.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            // Refused before any call: a scheme the provider does not relay to, a private target (naming the option
            // that allows it)… The message shows the URL redacted.
            return Invalid("server", ex.Message);
        }

        DateTimeOffset now = time.GetUtcNow();
        var relay = new RoomRelay(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), room.Id, provider.Name, task.Id, RelayUrls.Redact(target), task.Status, task.Reason, now, now);
        await store.AddRelayAsync(relay, context.RequestAborted);
        ILogger logger = loggers.CreateLogger(typeof(RoomEndpoints));
        LogRelayStarted(logger, room.Id, relay.Target, provider.Name, task.Id);
        notifier.RelayChanged(relay);
        return TypedResults.Created($"/api/rooms/{id}/relays/{relay.Id}", RoomDtos.Relay(relay));
    }

    private static async Task<IResult> StopRelayAsync(string id, string relayId, HttpContext context, IRoomStore store, StreamProviders providers, RoomNotifier notifier)
    {
        (Room? room, IResult? denied) = await AuthorizeHostAsync(id, context, store);
        if (denied is not null)
        {
            return denied;
        }

        RoomRelay? relay = (await store.ListRelaysAsync(id, context.RequestAborted)).FirstOrDefault(r => r.Id == relayId);
        if (relay is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Target not found.", $"Room '{id}' has no target '{(relayId.Length > 40 ? relayId[..40] + "…" : relayId)}'.");
        }

        await ProviderOf(room!, providers).StopRelayAsync(relay.RelayId, context.RequestAborted);
        RoomRelay stopped = await store.UpdateRelayAsync(relay.Provider, relay.RelayId, RelayStatus.Stopped, null, context.RequestAborted) ?? relay with { Status = RelayStatus.Stopped };
        notifier.RelayChanged(stopped);
        return TypedResults.Ok(RoomDtos.Relay(stopped));
    }

    /// <summary>Stops the relays of an ended room (best effort: one the provider will not stop is logged and left).</summary>
    private static async Task StopRelaysAsync(Room room, IStreamProvider provider, IRoomStore store, RoomNotifier notifier, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (RoomRelay relay in await store.ListRelaysAsync(room.Id, cancellationToken))
        {
            if (relay.Status == RelayStatus.Stopped)
            {
                continue;
            }

            try
            {
                await provider.StopRelayAsync(relay.RelayId, cancellationToken);
                if (await store.UpdateRelayAsync(relay.Provider, relay.RelayId, RelayStatus.Stopped, null, cancellationToken) is { } stopped)
                {
                    notifier.RelayChanged(stopped);
                }
            }
            catch (Exception ex) when (ex is LiveCloudException or NotSupportedException)
            {
                LogRelayStopFailed(logger, room.Id, relay.Target, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 55, Level = LogLevel.Information, Message = "Room {RoomId} also streams to {Target} ({Provider} relay {RelayId})")]
    private static partial void LogRelayStarted(ILogger logger, string roomId, string target, string provider, string relayId);

    [LoggerMessage(EventId = 56, Level = LogLevel.Warning, Message = "Room {RoomId} has ended, but its relay to {Target} could not be stopped: {Reason}")]
    private static partial void LogRelayStopFailed(ILogger logger, string roomId, string target, string reason);
}
