using Microsoft.Playwright;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>The web page's chat over the room WebSocket, in real Chromium: a host and a viewer in separate browser contexts.</summary>
[Collection(RoomsAppGroup.Name)]
[Trait("Category", "RealParts")]
public sealed class ChatBrowserTests
{
    private readonly RoomsAppFixture _fixture;

    public ChatBrowserTests(RoomsAppFixture fixture)
    {
        RealParts.Require([.. RoomsApp.Tools, RealParts.Chromium]);
        _fixture = fixture;
    }

    [SkippableFact]
    public async Task Host_and_viewer_chat_in_the_page_as_text_and_the_host_mutes_the_viewer()
    {
        RoomsApp app = _fixture.App;
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = RealParts.ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        // The host starts a room from the page: its host token stays in that browser's localStorage.
        await using IBrowserContext hostContext = await browser.NewContextAsync();
        IPage host = await hostContext.NewPageAsync();
        host.SetDefaultTimeout(30_000);
        await host.GotoAsync(app.BaseAddress.ToString());
        await host.FillAsync("#title", "Chat show");
        await host.ClickAsync("#create");
        await Assertions.Expect(host.Locator("#push-url")).ToContainTextAsync("rtmp://");
        await host.ClickAsync("#open-player");
        await Assertions.Expect(host.Locator("#chat-host-tools")).ToBeVisibleAsync();
        string roomUrl = host.Url;

        // A viewer in another browser: listens first, then picks a nickname.
        await using IBrowserContext viewerContext = await browser.NewContextAsync();
        IPage viewer = await viewerContext.NewPageAsync();
        viewer.SetDefaultTimeout(30_000);
        await viewer.GotoAsync(roomUrl);
        await Assertions.Expect(viewer.Locator("#state")).ToHaveAttributeAsync("data-state", "idle");
        await Assertions.Expect(viewer.Locator("#chat-form")).ToBeHiddenAsync();
        await viewer.FillAsync("#chat-nickname", "Viewer <i>Vi</i>");
        await viewer.ClickAsync("#chat-join-button");
        await Assertions.Expect(viewer.Locator("#chat-form")).ToBeVisibleAsync();
        await Assertions.Expect(host.Locator("#viewers")).ToContainTextAsync("2 watching");

        const string Attack = "<img src=x onerror=\"window.__xss=1\"> hello";
        await viewer.FillAsync("#chat-text", Attack);
        await viewer.ClickAsync("#chat-send");
        ILocator heard = host.Locator("#chat-messages li", new() { HasText = "hello" });
        await Assertions.Expect(heard).ToContainTextAsync(Attack);
        await Assertions.Expect(heard).ToContainTextAsync("Viewer <i>Vi</i>");
        (await host.Locator("#chat-messages img, #chat-messages i").CountAsync()).Should().Be(0, "viewer text is shown as text, never parsed as HTML");
        (await host.EvaluateAsync<bool>("() => window.__xss === 1")).Should().BeFalse();

        await host.FillAsync("#chat-text", "welcome!");
        await host.ClickAsync("#chat-send");
        await Assertions.Expect(viewer.Locator("#chat-messages li strong.host")).ToHaveTextAsync("Host");
        await Assertions.Expect(viewer.Locator("#chat-messages li").Last).ToContainTextAsync("welcome!");

        // The host mutes the viewer from its message; the viewer's next message is refused and not shown.
        await heard.GetByRole(AriaRole.Button, new() { Name = "Mute" }).ClickAsync();
        await Assertions.Expect(viewer.Locator("#chat-status")).ToContainTextAsync("muted you");
        await viewer.FillAsync("#chat-text", "still there?");
        await viewer.ClickAsync("#chat-send");
        await Assertions.Expect(viewer.Locator("#chat-status")).ToContainTextAsync("Your messages are not sent", new() { IgnoreCase = true });
        await Assertions.Expect(host.Locator("#chat-messages")).Not.ToContainTextAsync("still there?");

        // A reload keeps the recent messages (history) and the viewer's chat pass.
        await viewer.ReloadAsync();
        await Assertions.Expect(viewer.Locator("#chat-messages li")).ToHaveCountAsync(2);
        await Assertions.Expect(viewer.Locator("#chat-form")).ToBeVisibleAsync();
    }
}
