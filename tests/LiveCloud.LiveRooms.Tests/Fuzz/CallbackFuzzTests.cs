using LiveCloud.LiveRooms.Tests.Hostile;
using Xunit.Abstractions;

namespace LiveCloud.LiveRooms.Tests.Fuzz;

/// <summary>One app with all four providers, rooms on each, shared by the callback fuzz runs.</summary>
public sealed class CallbackFuzzFixture : IAsyncLifetime
{
    public CloudRoomsHost Host { get; private set; } = null!;

    internal Dictionary<string, FuzzWorld> Worlds { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Host = await CloudRoomsHost.StartAsync();
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string provider in CallbackCases.Providers)
        {
            names[provider] = [];
            for (int i = 0; i < 5; i++)
            {
                string name = $"{provider.ToLowerInvariant()}_room_{i}";
                await Host.AddRoomAsync(provider, name, ended: i == 4);
                names[provider].Add(name);
            }
        }

        foreach (string provider in CallbackCases.Providers)
        {
            Worlds[provider] = new FuzzWorld(names[provider], [.. names.Where(n => n.Key != provider).SelectMany(n => n.Value)]);
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
/// The standing fuzz test of every provider's callback endpoint, through the real ASP.NET pipeline of the live-rooms
/// app: see <see cref="FuzzRun"/> for seed and count, <see cref="CallbackCases"/> for the classes of input.
/// </summary>
public sealed class CallbackFuzzTests(CallbackFuzzFixture fixture, ITestOutputHelper output) : IClassFixture<CallbackFuzzFixture>
{
    [Theory]
    [InlineData("Nginx")]
    [InlineData("Tencent")]
    [InlineData("Aliyun")]
    [InlineData("Qiniu")]
    public Task Hostile_callbacks_never_get_a_5xx_nor_an_error_log_and_each_class_gets_its_answer(string provider) =>
        FuzzRun.RunAsync(fixture.Host, provider, r => CallbackCases.Make(provider, r, fixture.Worlds[provider], DateTimeOffset.UtcNow), output);
}
