using LiveCloud.LiveRooms.Data;
using Microsoft.Extensions.DependencyInjection;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>While Redis is down, invalidations from other instances may be lost: the room cache is off until it is back.</summary>
[Collection(ScaleGroup.Name)]
[Trait("Category", "RealParts")]
public sealed class BackplaneOutageTests(ScaleFixture fixture)
{
    [SkippableFact]
    public async Task The_room_cache_is_off_while_redis_is_unreachable_and_on_again_when_it_is_back()
    {
        ScaleFixture.Require();
        RealParts.Require(RoomsApp.Tools);
        RedisServer redis = await RedisServer.StartAsync();
        int port = redis.Port;
        RoomsApp app = await RoomsApp.StartAsync(extraArgs:
        [
            "--LiveRooms:Store=PostgreSql",
            $"--ConnectionStrings:Rooms={await fixture.Postgres.CreateDatabaseAsync()}",
            "--LiveRooms:Backplane=Redis",
            $"--ConnectionStrings:Redis={redis.ConnectionString}",
            "--LiveRooms:ReconcileInterval=00:00:00",
        ]);
        try
        {
            RoomCache cache = app.Services.GetRequiredService<RoomCache>();
            CreatedRoom room = await app.CreateRoomAsync("Outage");
            await app.StateAsync(room.Id);
            cache.Contains(room.Id).Should().BeTrue();

            await redis.DisposeAsync();
            await Poll.UntilAsync(async () => { await app.StateAsync(room.Id); return !cache.Contains(room.Id); }, "the cache to turn off when Redis goes away", 30);
            (await app.StateAsync(room.Id)).Should().Be("idle", "rooms are still served, from the database");
            cache.Contains(room.Id).Should().BeFalse("nothing is cached while Redis is down");

            redis = await RedisServer.StartAsync(port);
            await Poll.UntilAsync(async () => { await app.StateAsync(room.Id); return cache.Contains(room.Id); }, "the cache to serve again once Redis is back", 60);
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
            await redis.DisposeAsync();
        }
    }
}
