namespace LiveCloud.LiveRooms.Tests;

/// <summary>One running app (and its nginx) shared by the API and browser tests; nothing when a tool is missing (the tests skip, or fail under CI).</summary>
public sealed class RoomsAppFixture : IAsyncLifetime
{
    public RoomsApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (RealParts.CanStart(RoomsApp.Tools))
        {
            App = await RoomsApp.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
            App.DeleteData();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RoomsAppGroup : ICollectionFixture<RoomsAppFixture>
{
    public const string Name = "rooms app";
}
