using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveCloud.LiveRooms.Tests.Hostile;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.LiveRooms.Tests.Plugin;

/// <summary>
/// The live-rooms app (all cloud providers configured, no nginx started) with <c>LiveCloud:WeChat</c> pointed at a
/// loopback <see cref="WeChatLiveEmulator"/> on the system clock, polled every 10 s (the shortest the options allow).
/// Shared by the tests of a class: each creates its own rooms.
/// </summary>
public sealed class PluginRoomsHost : IAsyncLifetime
{
    public const string MessageToken = "liverooms-wechat-message-token";

    public WeChatLiveEmulator Emulator { get; private set; } = null!;

    public CloudRoomsHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync()
    {
        Emulator = await WeChatLiveEmulator.StartAsync(TimeProvider.System);
        Host = await CloudRoomsHost.StartAsync(appLogLevel: Microsoft.Extensions.Logging.LogLevel.Debug, extraArgs:
        [
            $"--LiveCloud:WeChat:AppId={WeChatLiveEmulator.AppId}",
            $"--LiveCloud:WeChat:AppSecret={WeChatLiveEmulator.AppSecret}",
            $"--LiveCloud:WeChat:Endpoint={Emulator.BaseAddress}",
            "--LiveCloud:WeChat:PollInterval=00:00:10",
            $"--LiveCloud:WeChat:MessageToken={MessageToken}",
            // Hosting's request lines, so that a test can see the callback route's query redacted in them.
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting=Information",
        ]);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    /// <summary>A plugin room's body: a title unique to the call (the uncertain-create read-back matches by title and times).</summary>
    public static Dictionary<string, object?> Body(string? anchorWechat = WeChatLiveEmulator.VerifiedAnchor, DateTimeOffset? start = null, string? title = null)
    {
        DateTimeOffset s = start ?? DateTimeOffset.UtcNow.AddMinutes(30);
        return new Dictionary<string, object?>
        {
            ["kind"] = "plugin",
            ["title"] = title ?? "直播 " + Guid.NewGuid().ToString("N")[..8],
            ["startTime"] = s.ToString("O"),
            ["endTime"] = s.AddHours(1).ToString("O"),
            ["anchorName"] = "主播小王",
            ["anchorWechat"] = anchorWechat,
        };
    }

    public Task<HttpResponseMessage> CreateAsync(Dictionary<string, object?> body) => Client.PostAsJsonAsync("/api/rooms", body);

    public async Task<PluginRoomCreated> CreateRoomAsync(Dictionary<string, object?>? body = null)
    {
        using HttpResponseMessage response = await CreateAsync(body ?? Body());
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PluginRoomCreated>(RoomsApp.Json))!;
    }

    public async Task<PluginRoomView> GetRoomAsync(string id) => (await Client.GetFromJsonAsync<PluginRoomView>($"/api/rooms/{id}", RoomsApp.Json))!;

    public Task WaitForStateAsync(string id, string state, int seconds = 40) =>
        Poll.UntilAsync(async () => (await GetRoomAsync(id)).State == state, $"room {id} to be {state} (the status poller runs every 10 s)", seconds);

    public async Task<HttpResponseMessage> PostHostAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    /// <summary>
    /// <paramref name="fault"/> for the next room create only: the status poller's own calls to the emulator pass it by
    /// (it re-queues itself), so the fault meets the call the test makes.
    /// </summary>
    public void OnNextCreate(Fault fault)
    {
        Fault? self = null;
        self = async context =>
        {
            if (context.Request.Path.Value!.EndsWith("/room/create", StringComparison.Ordinal))
            {
                return await fault(context);
            }

            Emulator.Then(self!);
            return false;
        };
        Emulator.Then(self);
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

public sealed record PluginView(long RoomId, string Path);

public sealed record PluginRoomCreated(string Id, string Title, string StreamName, string HostToken, PushView? Push, string Kind, PluginView? Plugin);

public sealed record PluginRoomView(string Id, string Title, string State, IReadOnlyList<PlayView> Play, DateTimeOffset? ExpiresAt, string Kind, PluginView? Plugin);

public sealed record PluginRoomSummary(string Id, string Title, string State, string Kind, PluginView? Plugin);

public sealed record PluginRoomPage(IReadOnlyList<PluginRoomSummary> Items, int Total);
