using LiveCloud.Testing.Emulators.WeChat;
using LiveCloud.WeChat;

namespace LiveCloud.Conformance.Tests;

/// <summary>
/// The WeChat mini-program live provider against the loopback emulator. It claims stream state and message-push callbacks
/// only; WeChat pushes no publish or unpublish callbacks (state changes come from its poller), so the signed-callback test
/// skips, as do those of the capabilities it does not claim.
/// </summary>
public sealed class WeChatFixture : StreamProviderFixture<WeChatStreamProvider>, IAsyncLifetime
{
    private WeChatLiveEmulator _emulator = null!;

    // A room's stream, as in its push address: live/{AppID}-{roomId}.
    public override StreamId SampleStream => new("live", WeChatLiveEmulator.AppId + "-6209");

    public async Task InitializeAsync() => _emulator = await WeChatLiveEmulator.StartAsync(Clock);

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    protected override WeChatStreamProvider CreateProvider()
    {
        var options = new WeChatOptions
        {
            AppId = WeChatLiveEmulator.AppId,
            AppSecret = WeChatLiveEmulator.AppSecret,
            Endpoint = _emulator.BaseAddress,
            MessageToken = "conformance-token",
            Resilience = Fast.Resilience(),
        };
        return new WeChatStreamProvider(options, Fast.Pipeline(WeChatOptions.ProviderName, options.Endpoint, options.Resilience), Clock);
    }
}

/// <summary>The provider conformance suite, run against WeChat.</summary>
public sealed class WeChatConformance(WeChatFixture f) : StreamProviderConformanceTests<WeChatStreamProvider>(f), IClassFixture<WeChatFixture>;
