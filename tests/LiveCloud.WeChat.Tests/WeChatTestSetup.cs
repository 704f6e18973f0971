using LiveCloud.Http;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>Options, pipelines and clients pointed at the emulator, with short back-off; sample images and rooms.</summary>
public static class WeChatTestSetup
{
    public const string MessageToken = "LiveCloudToken";
    public const string EncodingAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    /// <summary>The instant every test clock starts at.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A tiny JPEG (its magic bytes and padding): the emulator checks presence and size, not pixels.</summary>
    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    /// <summary>Short back-off; an attempt timeout with room for a cold start (writes are never retried).</summary>
    public static VendorResilienceOptions Fast(int retries = 3, int attemptTimeoutMs = 10000) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMilliseconds(attemptTimeoutMs),
        TotalTimeout = TimeSpan.FromSeconds(30),
        CircuitBreakerMinimumThroughput = 100,
    };

    public static WeChatOptions Options(Uri endpoint, Action<WeChatOptions>? configure = null)
    {
        var options = new WeChatOptions
        {
            AppId = WeChatLiveEmulator.AppId,
            AppSecret = WeChatLiveEmulator.AppSecret,
            Endpoint = endpoint,
            MessageToken = MessageToken,
            Resilience = Fast(),
        };
        configure?.Invoke(options);
        return options;
    }

    // The provider judges times on the test clock; the pipeline's delays and timeouts run on real time.
    public static VendorHttpPipeline Pipeline(WeChatOptions options, ILogger? logger = null, string name = WeChatOptions.ProviderName) =>
        new(name, new HttpClient { BaseAddress = options.Endpoint, Timeout = Timeout.InfiniteTimeSpan }, options.Resilience, logger ?? NullLogger.Instance, TimeProvider.System);

    public static WeChatApiClient Client(WeChatOptions options, FakeTimeProvider clock, ILogger? logger = null) => new(options, Pipeline(options, logger), clock);

    public static WeChatStreamProvider Provider(WeChatOptions options, FakeTimeProvider clock, ILogger? logger = null) => new(options, Pipeline(options, logger), clock, logger);

    /// <summary>A valid room an hour from now, for an hour, its images as bytes to upload.</summary>
    public static WeChatRoomRequest Room(FakeTimeProvider clock, string name = "直播间测试", string anchor = WeChatLiveEmulator.VerifiedAnchor) => new()
    {
        Name = name,
        StartTime = clock.GetUtcNow().AddHours(1),
        EndTime = clock.GetUtcNow().AddHours(2),
        AnchorName = "主播小王",
        AnchorWechat = anchor,
        CoverImage = WeChatImage.FromBytes(Jpeg, "cover.jpg"),
        ShareImage = WeChatImage.FromBytes(Jpeg, "share.jpg"),
        FeedsImage = WeChatImage.FromBytes(Jpeg, "feeds.jpg"),
    };
}
