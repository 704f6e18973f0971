using LiveCloud.LiveRooms.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>LiveRooms:Store and LiveRooms:Backplane settings that cannot work fail at start-up, naming the key; the room cache keeps nothing stale.</summary>
public sealed class ScaleConfigurationTests
{
    [Theory]
    [InlineData("--LiveRooms:Store=Mongo", "LiveRooms:Store must be 'Sqlite' (the default) or 'PostgreSql'; got 'Mongo'.")]
    [InlineData("--LiveRooms:Backplane=Kafka", "LiveRooms:Backplane must be 'None' (the default) or 'Redis'; got 'Kafka'.")]
    [InlineData("--LiveRooms:RoomCacheSize=-1", "LiveRooms:RoomCacheSize must not be negative*")]
    [InlineData("--LiveRooms:Store=PostgreSql", "LiveRooms:Store is PostgreSql but ConnectionStrings:Rooms is empty*")]
    [InlineData("--LiveRooms:Backplane=Redis", "LiveRooms:Backplane is Redis but ConnectionStrings:Redis is empty*")]
    public void A_setting_that_cannot_work_fails_at_start_up_naming_its_key(string setting, string message)
    {
        string data = RoomsApp.NewDataDirectory();
        try
        {
            Action build = () => LiveRoomsApp.Build(new WebApplicationOptions
            {
                Args = ["--urls=http://127.0.0.1:0", $"--LiveRooms:DataDirectory={data}", "--LiveCloud:Provider=Nginx", "--LiveCloud:Nginx:SigningKey=" + RoomsApp.SigningKey, setting],
                ContentRootPath = Paths.Sample,
                EnvironmentName = Environments.Production,
            });
            build.Should().Throw<InvalidOperationException>().WithMessage("*" + message);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public void A_room_read_before_an_invalidation_is_not_kept()
    {
        using var cache = new RoomCache(10);
        Room room = new("r1", "t", "Nginx", new StreamId("live", "room_r1"), RoomStates.Idle, DateTimeOffset.UnixEpoch, null, null);
        long before = cache.Generation;
        cache.Invalidate("r1"); // a write lands while the read is in flight
        cache.Set(room, before);
        cache.Contains("r1").Should().BeFalse();

        cache.Set(room, cache.Generation);
        cache.Contains("r1").Should().BeTrue();
        cache.Invalidate("r1");
        cache.Contains("r1").Should().BeFalse();
    }

    [Fact]
    public void A_suspended_cache_keeps_nothing_until_resumed_and_a_zero_size_keeps_nothing()
    {
        using var cache = new RoomCache(10);
        Room room = new("r1", "t", "Nginx", new StreamId("live", "room_r1"), RoomStates.Idle, DateTimeOffset.UnixEpoch, null, null);
        cache.Set(room, cache.Generation);
        cache.Clear(suspend: true);
        cache.Contains("r1").Should().BeFalse();
        cache.Set(room, cache.Generation);
        cache.TryGet("r1", out _).Should().BeFalse();
        cache.Clear(suspend: false);
        cache.Set(room, cache.Generation);
        cache.TryGet("r1", out Room? cached).Should().BeTrue();
        cached.Should().BeSameAs(room);

        using var off = new RoomCache(0);
        off.Set(room, off.Generation);
        off.TryGet("r1", out _).Should().BeFalse();
    }
}
