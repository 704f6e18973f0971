using System.Runtime.CompilerServices;
using LiveCloud.Configuration;
using LiveCloud.Http;
using Microsoft.Extensions.Logging;

namespace LiveCloud.WeChat;

/// <summary>
/// WeChat mini-program live (小程序直播) behind <see cref="IStreamProvider"/>, claiming only what WeChat offers: stream
/// state (rooms read from <c>getliveinfo</c>) and, when a message push Token is configured, verified message-push
/// callbacks. Everything else throws <see cref="NotSupportedException"/> naming the provider and the capability.
/// </summary>
/// <remarks>
/// <para>Why so little: WeChat mints each room's push address itself (a network call, after the room exists), so
/// <see cref="IStreamProvider.CreatePushUrl"/>, which signs offline, cannot exist — use
/// <see cref="WeChatApiClient.GetPushAddressAsync"/>. There is no play URL: viewers watch only in the live player
/// plugin of the same mini-program (<see cref="WeChatPlugin.RoomPagePath"/>). There are no domains, no recording
/// start or stop (only a room's replay switch, and replays listed by <see cref="WeChatApiClient.ListReplaysAsync"/>:
/// the contract's recording group also starts and stops, so claiming it would mislead), no forbid, resume or drop
/// (WeChat bans and operators pause in the console), no price table, and no stream callbacks (state changes come from
/// <see cref="WeChatStatusPoller"/>).</para>
/// <para>A room's stream is <c>live/{AppID}-{roomId}</c>, as in its push address (<see cref="Stream"/>). Its state:
/// 101 is <see cref="StreamStatus.Active"/>, 104 (banned) <see cref="StreamStatus.Forbidden"/>, every other state (and a
/// room not listed) <see cref="StreamStatus.Inactive"/>. WeChat has no call for one room, so
/// <see cref="IStreamProvider.GetStreamStateAsync"/> reads the room list page by page until it finds it.</para>
/// </remarks>
public sealed class WeChatStreamProvider : StreamProviderBase
{
    private static readonly ProviderCapabilities WithCallbacks = new(ProviderFeatures.StreamState | ProviderFeatures.Callbacks, [], []);
    private static readonly ProviderCapabilities WithoutCallbacks = new(ProviderFeatures.StreamState, [], []);

    private readonly WeChatCallbackVerifier? _callbacks;

    /// <summary>Creates the provider over its vendor pipeline (whose name becomes the provider's).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="pipeline">The vendor pipeline (DI makes it from the provider context).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where the status poller logs failed polls.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public WeChatStreamProvider(WeChatOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(options, new WeChatApiClient(VendorOptions.Validated(options, pipeline), pipeline, timeProvider), logger)
    {
    }

    /// <summary>Creates the provider over an API client (a test double, or one shared with other code).</summary>
    /// <param name="options">The options; validated here as at start-up.</param>
    /// <param name="client">The API client; its <see cref="VendorApiClient.ProviderName"/> and <see cref="VendorApiClient.TimeProvider"/> become the provider's name and clock.</param>
    /// <param name="logger">Where the status poller logs failed polls.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names every bad key.</exception>
    public WeChatStreamProvider(WeChatOptions options, WeChatApiClient client, ILogger? logger)
        : base((client ?? throw new ArgumentNullException(nameof(client))).ProviderName, client.TimeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(Name, $"{LiveCloudOptions.SectionName}:{Name}");
        Options = options;
        Client = client;
        _callbacks = string.IsNullOrEmpty(options.MessageToken)
            ? null
            : new WeChatCallbackVerifier(options.AppId!, options.MessageToken, string.IsNullOrEmpty(options.EncodingAesKey) ? null : options.EncodingAesKey, options.MessageMaxAge, TimeProvider);
        Poller = new WeChatStatusPoller(client, Name, options.PollInterval, options.PollPages, TimeProvider, logger);
    }

    /// <summary>The options (their <see cref="WeChatOptions.ToString"/> hides secrets).</summary>
    public WeChatOptions Options { get; }

    /// <summary>The API client: rooms, push addresses, replays, share codes, toggles, assistants.</summary>
    public WeChatApiClient Client { get; }

    /// <summary>The status poller that turns room state changes into events.</summary>
    public WeChatStatusPoller Poller { get; }

    /// <inheritdoc />
    /// <remarks>Callbacks are supported only when <see cref="WeChatOptions.MessageToken"/> is set: unsigned messages are never trusted.</remarks>
    public override ProviderCapabilities Capabilities => _callbacks is null ? WithoutCallbacks : WithCallbacks;

    /// <summary>The stream of a room, <c>live/{AppID}-{roomId}</c>.</summary>
    /// <param name="roomId">The room id.</param>
    public StreamId Stream(long roomId) => WeChatApiClient.StreamOf(Options.AppId!, roomId > 0 ? roomId : throw new ArgumentOutOfRangeException(nameof(roomId), roomId, "A room id is positive."));

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Client, _callbacks, Poller];

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await foreach (WeChatRoom room in Client.ListAllRoomsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (room.Status == WeChatRoomStatus.Live)
            {
                yield return new StreamState(Stream(room.RoomId), StreamStatus.Active);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The stream is not <c>live/{AppID}-{roomId}</c> of this mini-program.</exception>
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        long roomId = WeChatApiClient.RoomIdOf(Options.AppId!, stream)
            ?? throw new ArgumentException($"Stream '{stream}' is not a room of this mini-program; its streams are {WeChatApiClient.StreamApp}/{Options.AppId}-{{roomId}}.", nameof(stream));
        WeChatRoom? room = await Client.GetRoomAsync(roomId, cancellationToken).ConfigureAwait(false);
        return new StreamState(stream, room?.Status switch
        {
            WeChatRoomStatus.Live => StreamStatus.Active,
            WeChatRoomStatus.Banned => StreamStatus.Forbidden,
            _ => StreamStatus.Inactive,
        });
    }

    /// <inheritdoc />
    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_callbacks!.Parse(request, Name));
}
