using LiveCloud.LiveRooms.Data;
using LiveCloud.WeChat;

namespace LiveCloud.LiveRooms.Api;

/// <summary>A push URL as the API returns it: the URL <c>&lt;live-pusher&gt;</c> and ffmpeg take, and OBS's server and stream key.</summary>
public sealed record PushDto(string Url, string? Server, string? StreamKey, DateTimeOffset ExpiresAt);

/// <summary>
/// The answer of <c>POST /api/rooms</c>; <see cref="HostToken"/> is shown this once. For a plugin room <see cref="Push"/>
/// is WeChat's push address, or <see langword="null"/> when WeChat did not give it at once (ask <c>POST /api/rooms/{id}/push</c>).
/// </summary>
public sealed record CreatedRoomDto(string Id, string Title, string StreamName, string HostToken, PushDto? Push, string Kind = RoomKinds.Stream, PluginDto? Plugin = null);

/// <summary>Where a mini-program opens a WeChat plugin room: its WeChat room id and the live player plugin's page path.</summary>
public sealed record PluginDto(long RoomId, string Path);

/// <summary>One play URL.</summary>
public sealed record PlayDto(string Protocol, string Url);

/// <summary>
/// The answer of <c>GET /api/rooms/{id}</c>: the room and fresh play URLs ordered for the client; for a plugin room no
/// play URLs (WeChat has none) but <see cref="Plugin"/>.
/// </summary>
public sealed record RoomDto(string Id, string Title, string State, IReadOnlyList<PlayDto> Play, DateTimeOffset? ExpiresAt, string Kind = RoomKinds.Stream, PluginDto? Plugin = null);

/// <summary>One room of <c>GET /api/rooms</c>.</summary>
public sealed record RoomSummaryDto(string Id, string Title, string State, DateTimeOffset CreatedAt, DateTimeOffset? LiveSince, DateTimeOffset? EndedAt, string Kind = RoomKinds.Stream, PluginDto? Plugin = null);

/// <summary>A page of rooms, newest first.</summary>
public sealed record RoomPageDto(IReadOnlyList<RoomSummaryDto> Items, int Page, int PageSize, int Total);

/// <summary>
/// A recording with its playback URL: absolute, or — when the provider announced only a storage path (Aliyun without
/// <c>RecordingBaseUrl</c>) — that relative object path.
/// </summary>
public sealed record RecordingDto(string PlaybackUrl, DateTimeOffset StartTime, double DurationSeconds, long? SizeBytes, string Format);

/// <summary>The recordings of a room.</summary>
public sealed record RecordingListDto(IReadOnlyList<RecordingDto> Items);

/// <summary>An SSE <c>state</c> event.</summary>
public sealed record StateDto(string Id, string State, DateTimeOffset? LiveSince);

/// <summary>
/// An SSE <c>alert</c> event: the room is still live but its picture is not coming through — <c>reconnecting</c> (the
/// anchor's push dropped; WeChat ends the room after 15 minutes of it) or <c>paused</c> (an operator paused it).
/// </summary>
public sealed record AlertDto(string Id, string Alert);

/// <summary>An "also stream to" target: its redacted URL (never the key) and where the relay stands; also the SSE <c>relay</c> event.</summary>
public sealed record RelayDto(string Id, string RoomId, string Target, string Status, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The targets of a room.</summary>
public sealed record RelayListDto(IReadOnlyList<RelayDto> Items);

/// <summary>Maps stored rooms to API shapes.</summary>
public static class RoomDtos
{
    /// <summary>A push URL.</summary>
    public static PushDto Push(PushUrl push) => new(push.Url, push.Server, push.StreamKey, push.ExpiresAt);

    /// <summary>A room in a list.</summary>
    public static RoomSummaryDto Summary(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return new(room.Id, room.Title, room.State, room.CreatedAt, room.LiveSince, room.EndedAt, room.Kind, Plugin(room));
    }

    /// <summary>A plugin room's WeChat room id and page path; <see langword="null"/> for a stream room.</summary>
    public static PluginDto? Plugin(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return room is { IsPlugin: true, WeChatRoomId: long id } ? new PluginDto(id, WeChatPlugin.RoomPagePath(id)) : null;
    }

    /// <summary>An SSE state payload.</summary>
    public static StateDto State(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return new(room.Id, room.State, room.LiveSince);
    }

    /// <summary>A relay target (status in lower case: starting, running, retrying, failed, stopped, ended).</summary>
    public static RelayDto Relay(RoomRelay relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        return new(relay.Id, relay.RoomId, relay.Target, relay.Status.ToString().ToLowerInvariant(), relay.Reason, relay.CreatedAt, relay.UpdatedAt);
    }

    /// <summary>A recording.</summary>
    public static RecordingDto Recording(RoomRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        string url = recording.PlaybackUrl.IsAbsoluteUri ? recording.PlaybackUrl.AbsoluteUri : recording.PlaybackUrl.OriginalString;
        return new(url, recording.StartTime, Math.Round(recording.Duration.TotalSeconds, 3), recording.SizeBytes, recording.Format);
    }
}
