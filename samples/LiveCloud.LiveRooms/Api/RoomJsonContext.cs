using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveCloud.LiveRooms.Api;

/// <summary>
/// Source-generated JSON for the hottest answers (<c>GET /api/rooms/{id}</c>, SSE <c>state</c>): the same Web defaults as
/// the rest of the API, without reflection on each write. Put first in the HTTP JSON options' resolver chain; every other
/// type still goes through reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RoomDto))]
[JsonSerializable(typeof(StateDto))]
internal sealed partial class RoomJsonContext : JsonSerializerContext;
