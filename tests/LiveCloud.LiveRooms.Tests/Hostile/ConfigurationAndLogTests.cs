using System.Net;
using System.Net.Http.Json;
using LiveCloud.LiveRooms.Data;
using LiveCloud.Nginx;
using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>Issue 14 D15 (switching the provider is a configuration change) and the tokens that reached request logs.</summary>
public sealed class ConfigurationAndLogTests
{
    [Fact]
    public async Task D15_Setting_only_the_provider_and_that_clouds_keys_over_the_shipped_appsettings_starts_without_nginx()
    {
        // The shipped appsettings.json keeps its Nginx section; only LiveCloud:Provider and Tencent's keys are added.
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(
            allProviders: false,
            startNginx: true,
            extraArgs:
            [
                "--LiveCloud:Provider=Tencent",
                $"--LiveCloud:Tencent:SecretId={TencentApiEmulator.SecretId}",
                $"--LiveCloud:Tencent:SecretKey={TencentApiEmulator.SecretKey}",
                $"--LiveCloud:Tencent:PushDomain={TencentApiEmulator.PushDomain}",
                "--LiveCloud:Tencent:PushKey=tencent-push-key",
                $"--LiveCloud:Tencent:PlayDomain={TencentApiEmulator.PlayDomain}",
                "--LiveCloud:Tencent:PlayKey=tencent-play-key",
            ]);

        host.Services.GetRequiredService<NginxRtmpServer>().IsRunning.Should().BeFalse("the local nginx starts only when it is the provider");
        using HttpResponseMessage created = await host.Client.PostAsJsonAsync("/api/rooms", new { title = "On Tencent" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        CreatedRoom room = (await created.Content.ReadFromJsonAsync<CreatedRoom>(RoomsApp.Json))!;
        room.Push.Url.Should().StartWith($"rtmp://{TencentApiEmulator.PushDomain}/live/{room.StreamName}?txSecret=");
        (await host.Services.GetRequiredService<IRoomStore>().FindAsync(room.Id, CancellationToken.None))!.Provider.Should().Be("Tencent");
    }

    [Fact]
    public async Task Callback_tokens_in_query_strings_never_reach_the_logs_even_with_request_logging_at_Information()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(
            appLogLevel: LogLevel.Information,
            extraArgs: ["--Logging:LogLevel:Microsoft.AspNetCore=Information", "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information"]);
        Room nginxRoom = await host.AddRoomAsync("Nginx", "ng_logged");
        Room qiniuRoom = await host.AddRoomAsync("Qiniu", "qn_logged");

        using (HttpRequestMessage hook = SignedCallbacks.NginxHook("publish", nginxRoom.Stream.Name, "31"))
        using (HttpResponseMessage answer = await host.Client.SendAsync(hook))
        {
            answer.StatusCode.Should().Be(HttpStatusCode.NoContent, "the endpoint still verifies the token as sent");
        }

        using (var qiniu = new HttpRequestMessage(HttpMethod.Post, "/api/callbacks/qiniu?token=" + Uri.EscapeDataString(CloudRoomsHost.QiniuCallbackToken))
        {
            Content = JsonContent.Create(new { status = "connected", title = qiniuRoom.Stream.Name, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        })
        using (HttpResponseMessage answer = await host.Client.SendAsync(qiniu))
        {
            answer.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        IReadOnlyList<LogEntry> logs = host.Logs.Entries;
        logs.Should().Contain(e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && e.Message.Contains("/api/callbacks/nginx?lc_hook=***", StringComparison.Ordinal), "request logging is on, with the query redacted");
        logs.Should().Contain(e => e.Message.Contains("/api/callbacks/qiniu?token=***", StringComparison.Ordinal));
        string all = string.Join("\n", logs.Select(e => e.ToString()));
        all.Should().NotContain(CloudRoomsHost.NginxHookToken).And.NotContain(CloudRoomsHost.QiniuCallbackToken);
    }

    [Fact]
    public async Task A_providers_callbacks_can_be_limited_to_its_source_addresses()
    {
        await using CloudRoomsHost host = await CloudRoomsHost.StartAsync(extraArgs: ["--LiveCloud:Callbacks:AllowedSources:Tencent:0=203.0.113.0/24"]);
        Room tencentRoom = await host.AddRoomAsync("Tencent", "tc_allow_listed");
        Room nginxRoom = await host.AddRoomAsync("Nginx", "ng_not_listed");

        using (HttpResponseMessage refused = await host.Client.SendAsync(SignedCallbacks.Tencent(SignedCallbacks.TencentEvent("1", tencentRoom.Stream.Name))))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a correctly signed callback from outside Tencent's addresses is refused");
        }

        (await host.StateAsync(tencentRoom.Id)).Should().Be(RoomStates.Idle);
        using (HttpResponseMessage accepted = await host.Client.SendAsync(SignedCallbacks.NginxHook("publish", nginxRoom.Stream.Name, "8")))
        {
            accepted.StatusCode.Should().Be(HttpStatusCode.NoContent, "providers not listed take callbacks from anywhere");
        }
    }
}
