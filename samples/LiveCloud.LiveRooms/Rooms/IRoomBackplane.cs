namespace LiveCloud.LiveRooms.Rooms;

/// <summary>Carries room changes and cache invalidations to the other instances (<c>LiveRooms:Backplane</c>).</summary>
internal interface IRoomBackplane
{
    /// <summary>Sends a change published in this instance to the others, which deliver it to their watchers.</summary>
    void Publish(string roomId, RoomChange change);

    /// <summary>Tells the others to forget the room from their cache (it was written here).</summary>
    void Invalidate(string roomId);
}
