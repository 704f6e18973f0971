using LiveCloud.LiveRooms.Api;
using LiveCloud.LiveRooms.Data;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>Tells a room's watchers what changed and starts a recording when a room goes live.</summary>
/// <param name="hub">Where watchers listen.</param>
/// <param name="recorder">Starts recordings.</param>
/// <param name="multiCloud">Gives a live room's state as watchers see it (<c>live</c> or <c>reconnecting</c>).</param>
public sealed class RoomNotifier(RoomEventHub hub, RecordingStarter recorder, MultiCloudRooms? multiCloud = null)
{
    /// <summary>The room's state changed.</summary>
    public void StateChanged(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        StateDto state = RoomDtos.State(room);
        if (room.HostLostAt is not null)
        {
            multiCloud?.HostLost(); // the window's end is swept for
        }

        hub.Publish(room.Id, new RoomChange("state", multiCloud is null ? state : state with { State = multiCloud.StateOf(room) }));
        if (room.State == RoomStates.Live && room.HostLostAt is null)
        {
            recorder.Enqueue(room);
        }
    }

    /// <summary>The room is still live but its picture is not coming through (<see cref="AlertDto.Alert"/>).</summary>
    public void Alert(Room room, string alert)
    {
        ArgumentNullException.ThrowIfNull(room);
        hub.Publish(room.Id, new RoomChange("alert", new AlertDto(room.Id, alert)));
    }

    /// <summary>An "also stream to" target was added or its relay changed state.</summary>
    public void RelayChanged(RoomRelay relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        hub.Publish(relay.RoomId, new RoomChange("relay", RoomDtos.Relay(relay)));
    }

    /// <summary>A recording is ready.</summary>
    public void RecordingReady(RoomRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        hub.Publish(recording.RoomId, new RoomChange("recording", RoomDtos.Recording(recording)));
    }
}
