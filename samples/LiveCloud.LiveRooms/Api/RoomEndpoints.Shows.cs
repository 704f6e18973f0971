using LiveCloud.LiveRooms.Rooms;
using LiveCloud.MultiCloud;

namespace LiveCloud.LiveRooms.Api;

/// <summary>A show of a multi-cloud room, from the session ledger.</summary>
/// <param name="Id">The ledger's id of the show.</param>
/// <param name="State">live, reconnecting or ended.</param>
/// <param name="HostProvider">The member the host pushes (or last pushed) to.</param>
/// <param name="ServingProvider">The member viewers are sent to.</param>
/// <param name="Failovers">How many times the host moved to another member.</param>
/// <param name="Timeline">Every entry, in order.</param>
public sealed record ShowDto(string Id, string State, string HostProvider, string? ServingProvider, int Failovers, IReadOnlyList<ShowEntryDto> Timeline);

/// <summary>One entry of a show's timeline.</summary>
public sealed record ShowEntryDto(string Kind, DateTimeOffset At, string? Provider, string? PreviousProvider, string Detail);

/// <summary>The shows of a room's stream.</summary>
public sealed record ShowListDto(IReadOnlyList<ShowDto> Items);

public static partial class RoomEndpoints
{
    // GET /api/rooms/{id}/shows: the room's shows from its multi-cloud provider's ledger (404 in single-provider mode).
    private static void MapShowEndpoints(RouteGroupBuilder rooms) => rooms.MapGet("/{id}/shows", ShowsAsync);

    private static async Task<IResult> ShowsAsync(string id, Data.RoomStore store, MultiCloudRooms multiCloud, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } room)
        {
            return RoomNotFound(id);
        }

        if (multiCloud.Of(room.Provider) is not { } composite)
        {
            return Problem(StatusCodes.Status404NotFound, "No session ledger.", $"Room '{id}' is on {room.Provider}, a single provider: shows are kept by a multi-cloud provider's ledger.");
        }

        IReadOnlyList<ShowSession> shows = composite.Ledger.Sessions(room.Stream);
        return TypedResults.Ok(new ShowListDto([.. shows.Select(s => new ShowDto(
            s.Id,
            s.State.ToString().ToLowerInvariant(),
            s.HostProvider,
            s.ServingProvider,
            s.Failovers,
            [.. s.Timeline.Select(e => new ShowEntryDto(e.Kind.ToString(), e.At, e.Provider, e.PreviousProvider, e.Detail))]))]));
    }
}
