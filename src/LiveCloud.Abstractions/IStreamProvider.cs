namespace LiveCloud;

/// <summary>
/// One live-streaming cloud (or the local nginx-rtmp server) behind one interface: the thing an app
/// injects. URL creation is offline and fast; the rest talks to the vendor.
/// </summary>
/// <remarks>
/// Calls outside <see cref="Capabilities"/> throw <see cref="NotSupportedException"/> naming the provider
/// and the capability. Bad input throws <see cref="ArgumentException"/> naming the parameter before any
/// network call. Vendor failures throw <see cref="LiveCloudException"/> or one of its children.
/// Implementations derive from <see cref="StreamProviderBase"/>, which does the checking once for all.
/// </remarks>
public interface IStreamProvider
{
    /// <summary>The provider's name as configured (<c>Tencent</c>, <c>Aliyun</c>, <c>Qiniu</c>, <c>Nginx</c>).</summary>
    string Name { get; }

    /// <summary>What this provider supports.</summary>
    ProviderCapabilities Capabilities { get; }

    /// <summary>Signs a push URL (offline).</summary>
    /// <param name="stream">The stream to push.</param>
    /// <param name="expiresAt">When the URL stops being accepted for new pushes; must be in the future.</param>
    /// <param name="protocol">The push protocol; RTMP by default.</param>
    PushUrl CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol = StreamProtocol.Rtmp);

    /// <summary>Signs play URLs (offline).</summary>
    /// <param name="stream">The stream to play.</param>
    /// <param name="expiresAt">When the URLs expire; must be in the future.</param>
    /// <param name="options">Protocols, rendition and client ordering; every playable protocol by default.</param>
    PlayUrlSet CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, PlayUrlOptions? options = null);

    /// <summary>Lists the push and play domains.</summary>
    IAsyncEnumerable<LiveDomain> ListDomainsAsync(CancellationToken cancellationToken = default);

    /// <summary>The vendor's view of a domain together with what DNS really answers for its CNAME.</summary>
    /// <param name="domain">A host name such as <c>play.example.com</c>.</param>
    /// <param name="cancellationToken">Cancels the vendor call and the DNS look-up.</param>
    Task<DomainStatus> GetDomainStatusAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>Starts recording a stream.</summary>
    Task<RecordingTask> StartRecordingAsync(StreamId stream, RecordingOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stops a recording started by <see cref="StartRecordingAsync"/>.</summary>
    Task StopRecordingAsync(RecordingTask task, CancellationToken cancellationToken = default);

    /// <summary>Lists recorded files of a stream, with playback URLs.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="since">The earliest start time; the provider's default window when <see langword="null"/>.</param>
    /// <param name="until">The latest start time; now when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<RecordedFile> ListRecordingsAsync(StreamId stream, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the streams being pushed now.</summary>
    IAsyncEnumerable<StreamState> ListOnlineStreamsAsync(CancellationToken cancellationToken = default);

    /// <summary>The state of one stream.</summary>
    Task<StreamState> GetStreamStateAsync(StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>Forbids pushing a stream (and drops the current push) until <paramref name="until"/>, or until resumed.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="until">When pushing is allowed again; the provider's default when <see langword="null"/>. Must be in the future.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ForbidStreamAsync(StreamId stream, DateTimeOffset? until = null, CancellationToken cancellationToken = default);

    /// <summary>Allows pushing a forbidden stream again.</summary>
    Task ResumeStreamAsync(StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>Disconnects the current broadcaster (who may push again).</summary>
    Task DropStreamAsync(StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a relay: a stream of this provider pushed out to another platform (<see cref="RelayRequest.PushTo"/>), or an
    /// outside stream or file pulled in (<see cref="RelayRequest.PullFrom"/>). Needs <see cref="ProviderFeatures.PushRelay"/>
    /// or <see cref="ProviderFeatures.PullRelay"/>. The remote URL is checked before any call (scheme, host; loopback,
    /// private and link-local targets refused unless the provider's options allow them). Its progress arrives as
    /// <see cref="StreamEventKind.RelayStatusChanged"/> events where the vendor sends them.
    /// </summary>
    /// <param name="request">What to relay.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The relay, with its id.</returns>
    Task<RelayTask> StartRelayAsync(RelayRequest request, CancellationToken cancellationToken = default);

    /// <summary>A relay's current state.</summary>
    /// <param name="relayId">The id <see cref="StartRelayAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">No such relay.</exception>
    Task<RelayTask> GetRelayAsync(string relayId, CancellationToken cancellationToken = default);

    /// <summary>Lists this provider's relays.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<RelayTask> ListRelaysAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops a relay (stopping one that already ended succeeds).</summary>
    /// <param name="relayId">The id <see cref="StartRelayAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task StopRelayAsync(string relayId, CancellationToken cancellationToken = default);

    /// <summary>Verifies a vendor callback and parses it into a <see cref="StreamEvent"/>.</summary>
    /// <exception cref="CallbackVerificationException">The signature, token or timestamp does not verify; answer 401/403.</exception>
    ValueTask<StreamEvent> ParseCallbackAsync(CallbackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Estimates what a usage profile costs on this provider, from its dated price table.</summary>
    CostEstimate EstimateCost(UsageProfile profile);

    /// <summary>
    /// An escape hatch to the provider's own objects (its options, its API client), in the style of
    /// <c>IChatClient.GetService</c>; <see langword="null"/> when it has none of that type.
    /// </summary>
    object? GetService(Type serviceType, object? serviceKey = null);
}
