using System.Security.Cryptography;

namespace LiveCloud.LiveRooms.Data;

/// <summary>What every <see cref="IRoomStore"/> shares: the token hash, the bounds and the event keys (<see cref="SqliteRoomStore"/> is in RoomStore.cs).</summary>
public static class RoomStore
{
    /// <summary>The most push sessions remembered per room (a captured signature replayed with new session ids cannot grow it).</summary>
    public const int MaxSessionsPerRoom = 16;

    /// <summary>How long applied event ids are kept to recognise redeliveries (default 2 days; vendors retry for minutes to hours).</summary>
    public static readonly TimeSpan DefaultEventRetention = TimeSpan.FromDays(2);

    /// <summary>How often applied event ids older than the retention are forgotten.</summary>
    internal static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>Hashes a host token for storage and comparison (SHA-256 suits a 256-bit random token).</summary>
    public static byte[] HashToken(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>The key an applied event is remembered by: its provider (any letter case) and its id.</summary>
    internal static string EventKey(string provider, string eventId) => provider.ToUpperInvariant() + "|" + eventId;
}
