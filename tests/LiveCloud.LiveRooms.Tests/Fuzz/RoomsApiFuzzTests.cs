using System.Globalization;
using System.Text;
using LiveCloud.LiveRooms.Tests.Hostile;
using Xunit.Abstractions;
using static LiveCloud.LiveRooms.Tests.Fuzz.Hostile;

namespace LiveCloud.LiveRooms.Tests.Fuzz;

/// <summary>The app with room chat on (against the IM emulator, so titles and user ids reach the chat backend's limits).</summary>
public sealed class RoomsApiFuzzFixture : IAsyncLifetime
{
    public CloudRoomsHost Host { get; private set; } = null!;

    internal List<string> RoomIds { get; } = [];

    public async Task InitializeAsync()
    {
        Host = await CloudRoomsHost.StartAsync(chat: true);
        for (int i = 0; i < 3; i++)
        {
            RoomIds.Add((await Host.AddRoomAsync("Nginx", $"api_room_{i}")).Id);
        }
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>
/// The standing fuzz test of the rooms API's endpoints (JSON bodies, route values, query strings, bearer tokens),
/// through the real pipeline: never a 5xx, never an error log, and a 400 naming the field for what is refused.
/// </summary>
public sealed class RoomsApiFuzzTests(RoomsApiFuzzFixture fixture, ITestOutputHelper output) : IClassFixture<RoomsApiFuzzFixture>
{
    [Fact]
    public Task Hostile_requests_to_the_rooms_api_never_get_a_5xx_nor_an_error_log() =>
        FuzzRun.RunAsync(fixture.Host, "RoomsApi", r => RoomsApiCases.Make(r, fixture.RoomIds), output);
}

/// <summary>Hostile requests to <c>/api/rooms…</c>.</summary>
internal static class RoomsApiCases
{
    private static readonly int[] Created = [201];
    private static readonly int[] Refused = [400];
    private static readonly int[] AnyAnswer = [];

    public static FuzzCase Make(Random r, IReadOnlyList<string> roomIds)
    {
        string id = r.Next(3) == 0 ? HostileId(r) : r.Pick(roomIds);
        switch (r.Next(100))
        {
            case < 8:
                return Json("title-ok", "/api/rooms", Obj([("title", J(r.Pick(["My show", "直播间", "Show 🎉", "a", new string('t', 100), "  padded  ", "Zoë's \"quoted\" show", "👨‍👩‍👧 family"])))]), Created);
            case < 30:
                string title = r.Next(6) switch
                {
                    0 => new string('房', r.Next(34, 100)), // 3 UTF-8 bytes each: over the chat backend's 100 bytes
                    1 => string.Concat(Enumerable.Repeat("😀", r.Next(26, 50))),
                    2 => "show" + r.Pick(["\u202e", "\u200b", "\u2028", "\u2029", "\ufeff", "\u2066", "\u0000", "\n", "\u0085", "\u001b[31m"]) + "x",
                    3 => r.Pick(["\ud800", "show\udfff", "\udc00\ud800"]),
                    4 => new string('x', r.Next(101, 5000)),
                    _ => r.Pick(["", "   ", "\t"]),
                };
                return Json("title-refused", "/api/rooms", Obj([("title", J(title))]), Refused);
            case < 40:
                return Json("title-random", "/api/rooms", Obj([("title", J(Text(r, 120)))]), AnyAnswer);
            case < 50:
                string body = r.Next(7) switch
                {
                    0 => Deep(r, r.Next(2) == 0 ? 30_000 : r.Next(60, 3000)),
                    1 => r.Pick(["[]", "1", "\"s\"", "null", "true", "{", "{\"title\":}", "{\"title\":\"a\"", string.Empty]),
                    2 => Obj([("title", r.Pick(["1", "null", "[]", "{}", "true", "1e400"]))]),
                    3 => Obj([("title", J("a")), ("title", J(Text(r)))]),
                    4 => Obj([("\ud800", "1"), ("title", J("ok title"))]),
                    5 => "{\"title\":\"" + new string('a', r.Next(16 * 1024, 70 * 1024)) + "\"}",
                    _ => Encoding.Latin1.GetString(Bytes(r, r.Next(1, 2000))),
                };
                return new FuzzCase("create-body-hostile", new RawRequest { Target = "/api/rooms", Headers = [("Content-Type", r.Pick(ContentTypes))], Body = Utf8(body), Chunked = r.Next(4) == 0 }, AnyAnswer);
            case < 58:
                string userId = r.Next(4) switch
                {
                    0 => r.Pick(["\ud800", "fan\udfff", "\u202efan"]),
                    1 => Text(r, 40),
                    2 => r.Pick(["fan_1", "host", "a-b_c", new string('u', 32)]),
                    _ => r.Pick(["", new string('u', 33), "fan 1", "fan/1", "房"]),
                };
                return Json("chat-user", $"/api/rooms/{id}/chat", Obj([("userId", r.Next(8) == 0 ? r.Pick(["1", "[]", "{}", "true"]) : J(userId))]), AnyAnswer);
            case < 66:
                return new FuzzCase("list-query", new RawRequest { Method = "GET", Target = "/api/rooms?" + Form([("page", Param(r)), ("pageSize", Param(r))]) + (r.Next(3) == 0 ? "&page=1&page=2" : string.Empty) }, AnyAnswer);
            case < 74:
                return new FuzzCase("get-room", new RawRequest { Method = "GET", Target = $"/api/rooms/{id}?client=" + Escape(r.Pick(["web", "miniprogram", "MINIPROGRAM", "tv", "", Text(r, 10)])) }, AnyAnswer);
            case < 84:
                var headers = new List<(string, string)>();
                if (r.Next(4) > 0)
                {
                    headers.Add(("Authorization", r.Pick(["Bearer", "Bearer ", "Bearer x", "Basic abc", "bearer " + new string('a', 43), "Bearer " + new string('a', 5000), "Bearer a b c"])));
                }

                if (r.Next(4) == 0)
                {
                    headers.Add(("Authorization", "Bearer second"));
                }

                return new FuzzCase("host-token", new RawRequest { Target = $"/api/rooms/{id}/{r.Pick(["push", "end"])}", Headers = headers }, AnyAnswer);
            case < 90:
                // 400 from Kestrel for an encoded NUL in the path; else a plain 404 before any stream starts.
                return new FuzzCase("events-unknown-room", new RawRequest { Method = "GET", Target = $"/api/rooms/{HostileId(r)}/events" }, [400, 404]);
            case < 94:
                return new FuzzCase("recordings", new RawRequest { Method = "GET", Target = $"/api/rooms/{id}/recordings" }, AnyAnswer);
            default:
                return Hostile.Framing(r, r.Pick(["/api/rooms", $"/api/rooms/{id}/chat"]));
        }
    }

    private static FuzzCase Json(string cls, string target, string json, int[] allowed) =>
        new(cls, new RawRequest { Target = target, Headers = [("Content-Type", "application/json")], Body = Utf8(json) }, allowed);

    private static string Param(Random r) => r.Pick(["1", "0", "-1", "101", "2147483648", "1e3", "abc", "", " 1", "１", "99999999999999999999", "2"]);

    // A route value that names no room: random hex, encoded separators, traversal, very long.
    private static string HostileId(Random r) => r.Next(5) switch
    {
        0 => Hex(r, 8),
        1 => Escape(Text(r, 30)),
        2 => r.Pick(["..%2F..%2Fetc", "%00", "%ED%A0%80", "a%20b", "%E6%88%BF"]),
        3 => new string('f', r.Next(17, 3000)),
        _ => r.Next().ToString(CultureInfo.InvariantCulture),
    };
}
