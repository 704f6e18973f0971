using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Rooms;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Hosting;

/// <summary>
/// Chooses where rooms are kept (<c>LiveRooms:Store</c>, <c>ConnectionStrings:Rooms</c>) and how instances share room
/// changes (<c>LiveRooms:Backplane</c>, <c>ConnectionStrings:Redis</c>), and puts the room cache in front of the store.
/// The chat log (<see cref="IChatLog"/>) is kept in the same database as the rooms, so with several instances on
/// PostgreSQL they share chat history and moderation.
/// </summary>
internal static class RoomScaleOut
{
    /// <summary>The name of the connection string of the Redis backplane.</summary>
    public const string RedisConnectionStringName = "Redis";

    /// <summary>Registers <see cref="IRoomStore"/> (cached), <see cref="IChatLog"/>, the <see cref="RoomCache"/> and the backplane, if any.</summary>
    public static void AddRoomStore(this IServiceCollection services, IConfiguration config, LiveRoomsOptions rooms, string dataDirectory)
    {
        string? connectionString = config.GetConnectionString(LiveRoomsApp.ConnectionStringName) is { Length: > 0 } cs ? cs : null;
        bool postgres = string.Equals(rooms.Store, LiveRoomsOptions.StorePostgreSql, StringComparison.OrdinalIgnoreCase);
        if (postgres && connectionString is null)
        {
            throw new InvalidOperationException($"LiveRooms:Store is {LiveRoomsOptions.StorePostgreSql} but ConnectionStrings:{LiveRoomsApp.ConnectionStringName} is empty: set it to the database's Npgsql connection string (Host=…;Database=…;Username=…;Password=…).");
        }

        services.AddSingleton(new RoomCache(rooms.RoomCacheSize));
        // The viewer count of a room sums every instance's count (each instance sends its own through the backplane).
        services.AddSingleton(sp => new ViewerCounts(sp.GetRequiredService<RoomEventHub>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<Chat.RoomChatOptions>>().Value.ViewerCountRefresh));
        // The cached room's answer is serialised without reflection (the rest of the API keeps the same Web defaults).
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, Api.RoomJsonContext.Default));
        if (string.Equals(rooms.Backplane, LiveRoomsOptions.BackplaneRedis, StringComparison.OrdinalIgnoreCase))
        {
            if (config.GetConnectionString(RedisConnectionStringName) is not { Length: > 0 } redis)
            {
                throw new InvalidOperationException($"LiveRooms:Backplane is {LiveRoomsOptions.BackplaneRedis} but ConnectionStrings:{RedisConnectionStringName} is empty: set it to the Redis server (host:port[,password=…]).");
            }

            services.AddSingleton(sp => new RedisRoomBackplane(
                redis,
                sp.GetRequiredService<RoomEventHub>(),
                sp.GetRequiredService<RoomCache>(),
                sp.GetRequiredService<ViewerCounts>(),
                sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>(),
                sp.GetRequiredService<ILogger<RedisRoomBackplane>>()));
            services.AddSingleton<IRoomBackplane>(sp => sp.GetRequiredService<RedisRoomBackplane>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisRoomBackplane>());
        }

        string sqlite = connectionString ?? "Data Source=" + Path.Combine(dataDirectory, "rooms.db");
        services.AddSingleton<IChatLog>(sp =>
        {
            int historySize = sp.GetRequiredService<IOptions<Chat.RoomChatOptions>>().Value.HistorySize;
            return postgres ? new PostgresChatLog(connectionString!, historySize) : new SqliteChatLog(sqlite, historySize);
        });
        services.AddSingleton<IRoomStore>(sp =>
        {
            TimeProvider time = sp.GetRequiredService<TimeProvider>();
            TimeSpan reconnectWindow = sp.GetRequiredService<MultiCloudRooms>().ReconnectWindow;
            IRoomStore inner;
            if (postgres)
            {
                try
                {
                    inner = new PostgresRoomStore(connectionString!, time) { ReconnectWindow = reconnectWindow };
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidOperationException($"ConnectionStrings:{LiveRoomsApp.ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}", ex);
                }
            }
            else
            {
                inner = new SqliteRoomStore(sqlite, time) { ReconnectWindow = reconnectWindow };
            }

            // The chat log is opened with the store (after it: a bad connection string is reported by the store), at
            // start-up, so its tables are created before any request.
            _ = sp.GetRequiredService<IChatLog>();
            return new CachingRoomStore(inner, sp.GetRequiredService<RoomCache>(), sp.GetService<IRoomBackplane>());
        });
    }
}
