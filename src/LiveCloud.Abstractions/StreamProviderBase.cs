using System.Runtime.CompilerServices;
using LiveCloud.Dns;

namespace LiveCloud;

/// <summary>
/// The base of every provider. Its public members check arguments and capabilities once, for all
/// providers, then call the protected <c>…Core</c> members a provider overrides. A <c>…Core</c> member
/// that is not overridden throws <see cref="NotSupportedException"/> naming provider and capability.
/// </summary>
public abstract class StreamProviderBase : IStreamProvider
{
    /// <summary>Creates the base.</summary>
    /// <param name="name">The provider's name as registered (e.g. <c>Tencent</c>, or <c>tencent-backup</c> for a second account).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cnameVerifier">
    /// The DNS checker <see cref="CheckDomainStatusAsync"/> uses (the LiveCloud package registers one); needed only by
    /// providers that check domains.
    /// </param>
    protected StreamProviderBase(string name, TimeProvider? timeProvider, ICnameVerifier? cnameVerifier = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _cnameVerifier = cnameVerifier;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public abstract ProviderCapabilities Capabilities { get; }

    /// <summary>The clock every time check reads.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <inheritdoc />
    public PushUrl CreatePushUrl(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol = StreamProtocol.Rtmp)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.PushUrls);
        if (!Capabilities.CanPush(protocol))
        {
            throw NotSupported($"{protocol} push");
        }

        RequireFuture(expiresAt, nameof(expiresAt));
        return CreatePushUrlCore(stream, expiresAt, protocol);
    }

    /// <inheritdoc />
    public PlayUrlSet CreatePlayUrls(StreamId stream, DateTimeOffset expiresAt, PlayUrlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.PlayUrls);
        RequireFuture(expiresAt, nameof(expiresAt));
        options ??= DefaultPlayOptions;
        if (options.Protocols is { } wanted)
        {
            foreach (StreamProtocol protocol in wanted)
            {
                if (!Capabilities.CanPlay(protocol))
                {
                    throw NotSupported($"{protocol} play");
                }
            }
        }

        if (options.Rendition is { } rendition && !StreamId.IsValidPart(rendition))
        {
            throw new ArgumentException($"Rendition '{rendition}' may hold only letters, digits, '_', '-', '.' and '='.", nameof(options));
        }

        if (options.Region is { } region && !StreamId.IsValidPart(region))
        {
            throw new ArgumentException($"Region '{region}' may hold only letters, digits, '_', '-', '.' and '='.", nameof(options));
        }

        IReadOnlyList<StreamProtocol> protocols = PlayOrder.Select(options.Protocols ?? Capabilities.PlayProtocols, options.Client);
        return CreatePlayUrlsCore(stream, expiresAt, protocols, options).SignedBy(Name);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<LiveDomain> ListDomainsAsync(CancellationToken cancellationToken = default)
    {
        Require(ProviderFeatures.Domains);
        return ListDomainsCoreAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<DomainStatus> GetDomainStatusAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        Require(ProviderFeatures.Domains);
        return GetDomainStatusCoreAsync(HostName.Normalize(domain), cancellationToken);
    }

    /// <inheritdoc />
    public Task<RecordingTask> StartRecordingAsync(StreamId stream, RecordingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.Recording);
        options ??= new RecordingOptions();
        if (options.StopAt is { } stopAt)
        {
            RequireFuture(stopAt, nameof(options));
        }

        return StartRecordingCoreAsync(stream, options, cancellationToken);
    }

    /// <inheritdoc />
    public Task StopRecordingAsync(RecordingTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        Require(ProviderFeatures.Recording);
        return StopRecordingCoreAsync(task, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedFile> ListRecordingsAsync(StreamId stream, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.Recording);
        if (since is { } s && until is { } u && u < s)
        {
            throw new ArgumentException($"'until' ({u:O}) is before 'since' ({s:O}).", nameof(until));
        }

        return ListRecordingsCoreAsync(stream, since, until, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<StreamState> ListOnlineStreamsAsync(CancellationToken cancellationToken = default)
    {
        Require(ProviderFeatures.StreamState);
        return ListOnlineStreamsCoreAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<StreamState> GetStreamStateAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.StreamState);
        return GetStreamStateCoreAsync(stream, cancellationToken);
    }

    /// <inheritdoc />
    public Task ForbidStreamAsync(StreamId stream, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.StreamControl);
        if (until is { } u)
        {
            RequireFuture(u, nameof(until));
        }

        return ForbidStreamCoreAsync(stream, until, cancellationToken);
    }

    /// <inheritdoc />
    public Task ResumeStreamAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.StreamControl);
        return ResumeStreamCoreAsync(stream, cancellationToken);
    }

    /// <inheritdoc />
    public Task DropStreamAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(ProviderFeatures.StreamControl);
        return DropStreamCoreAsync(stream, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RelayTask> StartRelayAsync(RelayRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(request.Direction == RelayDirection.Push ? ProviderFeatures.PushRelay : ProviderFeatures.PullRelay);
        RelayUrls.Validate(request, AllowPrivateRelayTargets, $"LiveCloud:{Name}:AllowPrivateRelayTargets");
        if (RelayApp is { } app && !string.Equals(request.Stream.App, app, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The relay's stream {request.Stream} is not in app '{app}', the one the {Name} provider relays for; set LiveCloud:{Name}:AllowRelaysForOtherApps to true to relay other apps.",
                nameof(request));
        }

        if (request.EndsAt is { } endsAt)
        {
            RequireFuture(endsAt, nameof(request));
        }

        // A relay may be started in-process (the self-hosted provider) without awaiting anything: check here for all.
        cancellationToken.ThrowIfCancellationRequested();
        return StartRelayCoreAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RelayTask> GetRelayAsync(string relayId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relayId);
        RequireAny(ProviderFeatures.PushRelay | ProviderFeatures.PullRelay);
        cancellationToken.ThrowIfCancellationRequested();
        return GetRelayCoreAsync(relayId, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RelayTask> ListRelaysAsync(CancellationToken cancellationToken = default)
    {
        RequireAny(ProviderFeatures.PushRelay | ProviderFeatures.PullRelay);
        cancellationToken.ThrowIfCancellationRequested();
        return ListRelaysCoreAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StopRelayAsync(string relayId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relayId);
        RequireAny(ProviderFeatures.PushRelay | ProviderFeatures.PullRelay);
        cancellationToken.ThrowIfCancellationRequested();
        return StopRelayCoreAsync(relayId, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StreamEvent> ParseCallbackAsync(CallbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(ProviderFeatures.Callbacks);
        cancellationToken.ThrowIfCancellationRequested();
        return ParseCallbackCoreAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public CostEstimate EstimateCost(UsageProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Require(ProviderFeatures.CostEstimate);
        return EstimateCostCore(profile);
    }

    /// <inheritdoc />
    /// <remarks>Answers with this provider or the first of its <see cref="Services"/> of the asked type (for no key).</remarks>
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        foreach (object? service in Services)
        {
            if (service is not null && serviceType.IsInstanceOfType(service))
            {
                return service;
            }
        }

        return null;
    }

    /// <summary>
    /// The provider's own objects <see cref="GetService"/> hands out (its options, API client, URL signer, callback
    /// verifier…): the escape hatch to vendor specifics.
    /// </summary>
    protected virtual IEnumerable<object?> Services => [];

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} {{ Name = {Name} }}";

    /// <summary>Signs one push URL; arguments are already checked.</summary>
    protected virtual PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol) => throw NotSupported("push URLs");

    /// <summary>Signs play URLs for <paramref name="protocols"/>, in that order; arguments are already checked.</summary>
    protected virtual PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition) => throw NotSupported("play URLs");

    /// <summary>
    /// Signs play URLs for <paramref name="protocols"/>, in that order, with every option at hand (a provider that routes by
    /// <see cref="PlayUrlOptions.Region"/> overrides this one); by default the overload with the rendition only.
    /// Arguments are already checked.
    /// </summary>
    protected virtual PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, PlayUrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreatePlayUrlsCore(stream, expiresAt, protocols, options.Rendition);
    }

    /// <summary>Lists domains.</summary>
    protected virtual IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync(CancellationToken cancellationToken) => throw NotSupported("domains");

    /// <summary>Gets a domain's status; <paramref name="domain"/> is a valid, lower-case host name.</summary>
    protected virtual Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken) => throw NotSupported("domains");

    /// <summary>Starts recording.</summary>
    protected virtual Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken) => throw NotSupported("recording");

    /// <summary>Stops recording.</summary>
    protected virtual Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken) => throw NotSupported("recording");

    /// <summary>Lists recordings.</summary>
    protected virtual IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) => throw NotSupported("recording");

    /// <summary>Lists online streams.</summary>
    protected virtual IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync(CancellationToken cancellationToken) => throw NotSupported("stream state");

    /// <summary>Gets one stream's state.</summary>
    protected virtual Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken) => throw NotSupported("stream state");

    /// <summary>Forbids a stream.</summary>
    protected virtual Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken) => throw NotSupported("stream control");

    /// <summary>Resumes a stream.</summary>
    protected virtual Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) => throw NotSupported("stream control");

    /// <summary>Drops a stream's publisher.</summary>
    protected virtual Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) => throw NotSupported("stream control");

    /// <summary>Starts a relay; the request's URL, direction and end time are already checked.</summary>
    protected virtual Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken) => throw NotSupported("relays");

    /// <summary>Gets a relay.</summary>
    protected virtual Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken) => throw NotSupported("relays");

    /// <summary>Lists relays.</summary>
    protected virtual IAsyncEnumerable<RelayTask> ListRelaysCoreAsync(CancellationToken cancellationToken) => throw NotSupported("relays");

    /// <summary>Stops a relay.</summary>
    protected virtual Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken) => throw NotSupported("relays");

    /// <summary>
    /// Whether relays may reach loopback, private and link-local addresses (off by default: a relay is a request the
    /// vendor, or this host, makes on the caller's behalf). Providers read it from their options.
    /// </summary>
    protected virtual bool AllowPrivateRelayTargets => false;

    /// <summary>
    /// The app relays are confined to (a relay is the vendor pushing or pulling on the app's behalf, and often billed):
    /// a relay for a stream of another app is refused, naming the option that allows it. <see langword="null"/> (the
    /// default) lets any app relay. Providers read it from their options (their app, unless <c>AllowRelaysForOtherApps</c>).
    /// </summary>
    protected virtual string? RelayApp => null;

    /// <summary>Verifies and parses a callback.</summary>
    protected virtual ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken) => throw NotSupported("callbacks");

    /// <summary>Estimates cost.</summary>
    protected virtual CostEstimate EstimateCostCore(UsageProfile profile) => throw NotSupported("cost estimates");

    /// <summary>The DNS CNAME checker <see cref="CheckDomainStatusAsync"/> uses.</summary>
    /// <exception cref="InvalidOperationException">The provider was created without one.</exception>
    protected ICnameVerifier CnameVerifier => _cnameVerifier
        ?? throw new InvalidOperationException($"The {Name} provider was created without an ICnameVerifier, so it cannot check domains; pass one (the LiveCloud package's CnameVerifier) to its constructor.");

    /// <summary>
    /// The status of <paramref name="domain"/> with its DNS check, for <see cref="GetDomainStatusCoreAsync"/>:
    /// no check (<see cref="DomainStatus.Cname"/> is <see langword="null"/>) when the vendor names no expected
    /// CNAME; otherwise <see cref="CnameVerifier"/>'s verdict. A vendor-given name or target that is not a
    /// host name becomes an <see cref="CnameVerdict.Unresolvable"/> check saying so, not an exception.
    /// </summary>
    /// <param name="domain">The domain as the vendor reports it.</param>
    /// <param name="cancellationToken">Cancels the DNS check.</param>
    protected async Task<DomainStatus> CheckDomainStatusAsync(LiveDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.ExpectedCname is null)
        {
            return new DomainStatus(domain, null);
        }

        CnameCheck check;
        try
        {
            check = await CnameVerifier.VerifyAsync(domain.Name, domain.ExpectedCname, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            check = new CnameCheck(domain.Name, domain.ExpectedCname, CnameVerdict.Unresolvable, [], $"The {Name} provider reported a domain that cannot be checked: {ex.Message}");
        }

        return new DomainStatus(domain, check);
    }

    /// <summary>The exception for a capability this provider lacks.</summary>
    protected NotSupportedException NotSupported(string capability) =>
        new($"The {Name} provider does not support {capability}.");

    private static readonly PlayUrlOptions DefaultPlayOptions = new();

    private readonly ICnameVerifier? _cnameVerifier;

    private void Require(ProviderFeatures feature, [CallerMemberName] string? member = null)
    {
        if (!Capabilities.Supports(feature))
        {
            throw NotSupported($"{FeatureName(feature)} ({member})");
        }
    }

    private void RequireAny(ProviderFeatures features, [CallerMemberName] string? member = null)
    {
        if ((Capabilities.Features & features) == 0)
        {
            throw NotSupported($"{FeatureName(features)} ({member})");
        }
    }

    private static string FeatureName(ProviderFeatures feature) => feature switch
    {
        ProviderFeatures.PushRelay => "push relays",
        ProviderFeatures.PullRelay => "pull relays",
        ProviderFeatures.PushRelay | ProviderFeatures.PullRelay => "relays",
        ProviderFeatures.PushUrls => "push URLs",
        ProviderFeatures.PlayUrls => "play URLs",
        ProviderFeatures.Domains => "domains",
        ProviderFeatures.Recording => "recording",
        ProviderFeatures.StreamState => "stream state",
        ProviderFeatures.StreamControl => "stream control",
        ProviderFeatures.Callbacks => "callbacks",
        ProviderFeatures.CostEstimate => "cost estimates",
        _ => feature.ToString(),
    };

    private void RequireFuture(DateTimeOffset value, string parameterName)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        if (value <= now)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} {value:O} is not in the future (now is {now:O}).");
        }
    }
}
