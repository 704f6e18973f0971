using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveCloud.LiveRooms.Tests;

[Trait("Category", "RealParts")]
public sealed class RestartAndLimitTests
{
    [SkippableFact]
    public async Task Restart_KeepsEveryRoom_AndALiveRoomComesBackAsTheProviderReportsIt()
    {
        string data = RoomsApp.NewDataDirectory();
        RoomsApp first = await RoomsApp.StartAsync(data);
        CreatedRoom idle, live, ended;
        try
        {
            idle = await first.CreateRoomAsync("Stays idle");
            live = await first.CreateRoomAsync("Was live");
            ended = await first.CreateRoomAsync("Was ended");
            (await first.PostHostAsync($"/api/rooms/{ended.Id}/end", ended.HostToken)).Dispose();

            // Live as far as the database knows, when the app (and its nginx) go away mid-show.
            using (HttpResponseMessage publish = await first.HookAsync("publish", live.StreamName, "4242"))
            {
                publish.StatusCode.Should().Be(HttpStatusCode.NoContent);
            }

            (await first.StateAsync(live.Id)).Should().Be("live");
        }
        finally
        {
            await first.DisposeAsync();
        }

        RoomsApp second = await RoomsApp.StartAsync(data);
        try
        {
            (await second.GetRoomAsync(idle.Id)).Should().Match<RoomView>(r => r.Title == "Stays idle" && r.State == "idle");
            (await second.GetRoomAsync(ended.Id)).Should().Match<RoomView>(r => r.Title == "Was ended" && r.State == "ended");
            (await second.GetRoomAsync(live.Id)).State.Should().Be("idle", "the new nginx reports nobody pushing that stream");

            RoomPage page = (await second.Client.GetFromJsonAsync<RoomPage>("/api/rooms", RoomsApp.Json))!;
            page.Items.Select(r => r.Id).Should().Equal(ended.Id, live.Id, idle.Id);

            // The hashed host token survived: the host still gets a push URL, and it works with the new nginx.
            using HttpResponseMessage pushResponse = await second.PostHostAsync($"/api/rooms/{live.Id}/push", live.HostToken);
            pushResponse.StatusCode.Should().Be(HttpStatusCode.OK);
            PushView push = (await pushResponse.Content.ReadFromJsonAsync<PushView>(RoomsApp.Json))!;
            await using ToolProcess ffmpeg = ToolProcess.Push(push.Url, seconds: 3);
            (await ffmpeg.ExitCodeAsync(TimeSpan.FromSeconds(60))).Should().Be(0, ffmpeg.Errors);
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteData();
        }
    }

    [SkippableFact]
    public async Task CreatingRoomsTooFast_Answers429WithRetryAfter()
    {
        RoomsApp app = await RoomsApp.StartAsync(createRoomPermits: 2);
        try
        {
            await app.CreateRoomAsync("One");
            await app.CreateRoomAsync("Two");
            using HttpResponseMessage limited = await app.Client.PostAsJsonAsync("/api/rooms", new { title = "Three" });
            limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 60);
            limited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            using JsonDocument problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
            problem.RootElement.GetProperty("status").GetInt32().Should().Be(429);

            // Only creation is limited.
            using HttpResponseMessage list = await app.Client.GetAsync("/api/rooms");
            list.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }
}
