using Microsoft.Playwright;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>The web page in real Chromium (Debian's <c>chromium</c>, driven by Playwright with that executable).</summary>
[Collection(RoomsAppGroup.Name)]
[Trait("Category", "RealParts")]
public sealed class BrowserTests
{
    private const string Chromium = RealParts.ChromiumPath;
    private readonly RoomsAppFixture _fixture;

    public BrowserTests(RoomsAppFixture fixture)
    {
        RealParts.Require([.. RoomsApp.Tools, RealParts.Chromium]);
        _fixture = fixture;
    }

    [SkippableFact]
    public async Task WebPage_StartsARoom_PlaysTheLivePush_AndShowsTheEndWithoutAReload()
    {
        RoomsApp app = _fixture.App;
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = 60_000,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 900 } });
        page.SetDefaultTimeout(60_000);
        var console = new List<string>();
        page.Console += (_, message) => { lock (console) { console.Add($"{message.Type}: {message.Text}"); } };

        await page.GotoAsync(app.BaseAddress.ToString());
        await page.FillAsync("#title", "Browser show");
        await page.ClickAsync("#create");
        ILocator pushUrl = page.Locator("#push-url");
        await Assertions.Expect(pushUrl).ToContainTextAsync("rtmp://");
        string url = (await pushUrl.TextContentAsync())!;
        (await page.Locator("#obs-server").TextContentAsync()).Should().StartWith("rtmp://");
        (await page.Locator("#qr svg").CountAsync()).Should().Be(1, "the push URL shows as a QR code");

        await using ToolProcess push = ToolProcess.Push(url, seconds: 180);
        await page.ClickAsync("#open-player");
        ILocator state = page.Locator("#state");
        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 60_000 });

        // Playing: frames decoded (videoWidth) and the clock moving.
        await Poll.UntilAsync(async () => await page.EvaluateAsync<bool>("() => { const v = document.getElementById('video'); return v.videoWidth > 0 && v.currentTime > 1; }"), "the <video> to play: " + Console(), seconds: 60);
        double t1 = await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime");
        await Poll.UntilAsync(async () => await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime") > t1 + 1, "currentTime to advance", seconds: 60);
        (await page.EvaluateAsync<int>("() => document.getElementById('video').videoWidth")).Should().Be(320);

        byte[] screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        string artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "live-rooms-player.png"), screenshot);
        if (Environment.GetEnvironmentVariable("LIVEROOMS_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.Combine(Paths.Repository, "docs"));
            await File.WriteAllBytesAsync(Path.Combine(Paths.Repository, "docs", "live-rooms-player.png"), screenshot);
        }

        // The push stops: the page says the broadcast ended, from SSE, without a reload.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await push.DisposeAsync();
        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "idle", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#state-text")).ToContainTextAsync("The broadcast has ended");

        // The host ends the room from the page: "ended", still the same document.
        await page.ClickAsync("#end");
        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "ended", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#state-text")).ToContainTextAsync("The room has ended");
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).Should().BeTrue("the page never reloaded");

        // The show's recording is listed on the page.
        await Assertions.Expect(page.Locator("#recordings li")).ToHaveCountAsync(1, new() { Timeout = 60_000 });

        string Console()
        {
            lock (console)
            {
                return string.Join(" | ", console.TakeLast(10));
            }
        }
    }
}
