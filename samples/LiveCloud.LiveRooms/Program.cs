using LiveCloud.LiveRooms;

// The live-rooms sample: `dotnet run --project samples/LiveCloud.LiveRooms`, then open http://127.0.0.1:5080/.
WebApplication app = LiveRoomsApp.Build(new WebApplicationOptions { Args = args });
await app.RunAsync();
