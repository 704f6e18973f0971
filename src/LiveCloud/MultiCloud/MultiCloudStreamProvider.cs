using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using LiveCloud.Callbacks;
using LiveCloud.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud.MultiCloud;

/// <summary>
/// One <see cref="IStreamProvider"/> over several configured providers (its members: a primary and backups) that keeps shows
/// on the air when one of them fails: hosts are sent to a healthy member, viewers to a healthy member that holds the stream
/// (the cheapest for their region under <see cref="MultiCloudRouting.Cost"/>), and the members' callbacks and polls become
/// one timeline per show in <see cref="Ledger"/>.
/// </summary>
/// <remarks>
/// <para><b>Capabilities</b> are what every member shares (features, and push and play protocols, in the primary's order),
/// less <see cref="ProviderFeatures.CostEstimate"/>: estimate a member (each is listed by itself in a cost comparison).</para>
/// <para><b>Push.</b> <see cref="IStreamProvider.CreatePushUrl"/> signs with the member an open show's host is on while it is
/// up (moving a host back would switch its viewers again), else the primary while it is up, else the first healthy backup.
/// A host that reconnects after a failure (<c>&lt;live-pusher&gt;</c> error -1307, OBS after a drop) asks again and lands on
/// a healthy member: an ingest outage costs the host one reconnect.</para>
/// <para><b>Play.</b> <see cref="IStreamProvider.CreatePlayUrls"/> signs with a healthy member holding the stream, chosen by
/// <see cref="MultiCloudOptions.Routing"/> for <see cref="PlayUrlOptions.Region"/>; <see cref="PlayUrlSet.Provider"/> names it
/// and <see cref="RoutePlay"/> says why. When the member viewers play from changes, <see cref="EventRaised"/> raises a
/// <see cref="StreamEventKind.ServingProviderChanged"/> event: players ask again.</para>
/// <para><b>Management</b> (state, forbid, drop, recording, relays) goes to the member holding the stream; forbid and
/// resume go to every member, so a forbidden host cannot fail over. Recording and relay ids are prefixed with the member's
/// name (<c>NginxA:…</c>). <see cref="IStreamProvider.ParseCallbackAsync"/> asks each member to verify a callback in turn
/// and returns the event under this provider's name; map each member's own callback route instead to keep members' names.</para>
/// <para><b>Health</b> (<see cref="Health"/>): every vendor call through a member and every callback it verifies count,
/// and every <see cref="ProviderHealthOptions.ProbeInterval"/> each member is checked (a live stream's playlist or FLV
/// bytes; for an idle member its ingest), on the provider's <see cref="TimeProvider"/>. Members are listed every
/// <see cref="ProviderHealthOptions.PollInterval"/> to catch callbacks that never came.</para>
/// </remarks>
public sealed partial class MultiCloudStreamProvider : StreamProviderBase, IMemberObserver, IDisposable, IAsyncDisposable
{
    private const ProviderFeatures AllFeatures = ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls | ProviderFeatures.Domains | ProviderFeatures.Recording
        | ProviderFeatures.StreamState | ProviderFeatures.StreamControl | ProviderFeatures.Callbacks | ProviderFeatures.PushRelay | ProviderFeatures.PullRelay;

    // A warm relay and the URLs it uses last a day, or an hour where a member's signing allows no more (Huawei's URL
    // authentication timeout); either way it is started again a few minutes before it ends, while the show lasts.
    private static readonly TimeSpan[] WarmRelayLifetimes = [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];
    private static readonly TimeSpan WarmRelayRenewal = TimeSpan.FromMinutes(5);

    private readonly IStreamProvider[] _members;
    private readonly Dictionary<string, IStreamProvider> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ProviderCapabilities _capabilities;
    private readonly DeliveryPrices _prices = new();
    private readonly HttpClient _probeClient;
    private readonly bool _ownsProbeClient;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<StreamId, WarmRelay> _relays = new();
    private readonly Counter<long> _routes;
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly Task _loop;
    private DateTimeOffset _nextPoll;
    private int _disposed;

    /// <summary>Creates the provider and starts checking its members every <see cref="ProviderHealthOptions.ProbeInterval"/>.</summary>
    /// <param name="name">Its name (its configuration section's), e.g. <c>Show</c>.</param>
    /// <param name="members">The providers <see cref="MultiCloudOptions.Primary"/> and <see cref="MultiCloudOptions.Backups"/> name, in any order.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock of health checks, the ledger and URL expiries; the system clock when <see langword="null"/>.</param>
    /// <param name="ledger">The session ledger; an <see cref="InMemorySessionLedger"/> when <see langword="null"/>.</param>
    /// <param name="probeClient">The HTTP client of delivery checks; one of its own (disposed with it) when <see langword="null"/>.</param>
    /// <param name="meterFactory">Where the <c>LiveCloud</c> meter comes from.</param>
    /// <param name="logger">Where health changes, failovers and relays are logged.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid, or name a member not given (the message names the key).</exception>
    public MultiCloudStreamProvider(
        string name,
        IEnumerable<IStreamProvider> members,
        MultiCloudOptions options,
        TimeProvider? timeProvider = null,
        ISessionLedger? ledger = null,
        HttpClient? probeClient = null,
        IMeterFactory? meterFactory = null,
        ILogger? logger = null)
        : base(name, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(options);
        string section = $"{LiveCloudOptions.SectionName}:{name}";
        options.ThrowIfInvalid(name, section);
        Options = options;
        var given = new Dictionary<string, IStreamProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (IStreamProvider member in members)
        {
            ArgumentNullException.ThrowIfNull(member, nameof(members));
            given[member.Name] = member;
        }

        var ordered = new List<IStreamProvider>();
        IReadOnlyList<string> names = options.Members;
        for (int i = 0; i < names.Count; i++)
        {
            string key = i == 0 ? nameof(MultiCloudOptions.Primary) : $"{nameof(MultiCloudOptions.Backups)}:{(i - 1).ToString(CultureInfo.InvariantCulture)}";
            if (!given.TryGetValue(names[i], out IStreamProvider? member))
            {
                throw new LiveCloudConfigurationException($"{section}:{key} '{names[i]}' is not a configured provider; configured: {string.Join(", ", given.Keys)}.") { Provider = name };
            }

            if (member.GetService(typeof(MultiCloudStreamProvider)) is not null)
            {
                throw new LiveCloudConfigurationException($"{section}:{key} '{names[i]}' is a multi-cloud provider; members are single providers.") { Provider = name };
            }

            // Observe the member's calls and callbacks: through the tap DI put on it, else one of our own.
            MemberTap tap = member.GetService(typeof(MemberTap)) as MemberTap ?? new MemberTap(member);
            tap.Subscribe(this);
            IStreamProvider observed = member.GetService(typeof(MemberTap)) is null ? tap : member;
            ordered.Add(observed);
            _byName[observed.Name] = observed;
        }

        _members = [.. ordered];
        _capabilities = Intersect(_members);
        _logger = logger ?? NullLogger.Instance;
        _probeClient = probeClient ?? new HttpClient();
        _ownsProbeClient = probeClient is null;
        Ledger = ledger ?? new InMemorySessionLedger(options.ReconnectWindow, options.MaxStreams);
        Health = new ProviderHealthMonitor(name, [.. _members.Select(m => m.Name)], options.Health, TimeProvider, meterFactory);
        Meter meter = meterFactory?.Create(LiveCloudDiagnostics.MeterName) ?? new Meter(LiveCloudDiagnostics.MeterName);
        _routes = meter.CreateCounter<long>("livecloud.multicloud.routes", "{decision}", "Members chosen by a multi-cloud provider, by purpose (push, play).");
        Health.HealthChanged += OnHealthChanged;
        Ledger.EntryAdded += OnEntryAdded;
        _nextPoll = TimeProvider.GetUtcNow();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>
    /// Raised for each <see cref="StreamEventKind.ServingProviderChanged"/> and <see cref="StreamEventKind.ProviderHealthChanged"/>
    /// event (once each, per open show concerned, in order), on the thread that caused it: hand it to what tells viewers
    /// (Server-Sent Events, a WebSocket) and return.
    /// </summary>
    public event EventHandler<StreamEvent>? EventRaised;

    /// <summary>The options.</summary>
    public MultiCloudOptions Options { get; }

    /// <summary>The members, primary first.</summary>
    public IReadOnlyList<IStreamProvider> Members => _members;

    /// <summary>The members' health.</summary>
    public ProviderHealthMonitor Health { get; }

    /// <summary>One timeline per show, across members.</summary>
    public ISessionLedger Ledger { get; }

    /// <inheritdoc />
    public override ProviderCapabilities Capabilities => _capabilities;

    /// <inheritdoc />
    protected override IEnumerable<object?> Services => [Options, Health, Ledger];

    // Members check relay targets against their own options (the refusal names the member's key).
    /// <inheritdoc />
    protected override bool AllowPrivateRelayTargets => true;

    /// <summary>Where a host of <paramref name="stream"/> is sent now, and why.</summary>
    /// <param name="stream">The stream.</param>
    public RoutingDecision RoutePush(StreamId stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ShowSession? show = OpenShow(stream);
        RouteCandidate[] candidates = Candidates(show, priced: false, null);
        string primary = _members[0].Name;
        (string chosen, string reason) = show is not null && IsUp(show.HostProvider)
            ? (show.HostProvider, $"the show is on {show.HostProvider}, which is up: staying keeps its viewers where they are")
            : IsUp(primary)
                ? (primary, show is null ? "the primary is up" : $"the show's member {show.HostProvider} is down and the primary is up")
                : FirstUpBackup() is { } backup
                    ? (backup, $"the primary {primary} is down ({Health.Get(primary).LastFailure}); {backup} is the first healthy backup")
                    : (primary, "no member is up; the primary, for when it returns");
        return new RoutingDecision(RoutingPurpose.Push, stream, chosen, reason, Order(candidates, chosen)) { Routing = Options.Routing };
    }

    /// <summary>Which member a viewer of <paramref name="stream"/> in <paramref name="region"/> is sent to now, and why.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="region">The viewer's billing region (<c>mainland</c>…); the price tables' default when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="region"/> holds characters outside letters, digits, '_', '-', '.' and '='.</exception>
    public RoutingDecision RoutePlay(StreamId stream, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (region is not null && !StreamId.IsValidPart(region))
        {
            throw new ArgumentException($"Region '{region}' may hold only letters, digits, '_', '-', '.' and '='.", nameof(region));
        }

        ShowSession? show = OpenShow(stream);
        bool priced = Options.Routing == MultiCloudRouting.Cost;
        RouteCandidate[] ranked = Rank(Candidates(show, priced, region));
        RouteCandidate[] holders = [.. ranked.Where(c => c.IsUp && c.HoldsStream)];
        string chosen;
        string reason;
        if (holders.Length == 1)
        {
            chosen = holders[0].Provider;
            reason = $"the only healthy member holding the stream";
        }
        else if (holders.Length > 1)
        {
            chosen = holders[0].Provider;
            reason = priced ? CostReason(holders, region) : $"{chosen} comes first in the configured order among the healthy members holding the stream";
        }
        else
        {
            RoutingDecision push = RoutePush(stream);
            chosen = push.Provider;
            reason = show is null
                ? $"the stream is not live on any member: {chosen}, where its host is sent"
                : $"no healthy member holds the stream now (its host is reconnecting): {chosen}, where the host is sent";
        }

        return new RoutingDecision(RoutingPurpose.Play, stream, chosen, reason, Order(ranked, chosen)) { Region = region, Routing = Options.Routing };
    }

    /// <summary>
    /// Runs one round of checks now: every member's active check, a poll of online streams when one is due, and the end of
    /// shows whose host did not return within the reconnect window. The provider runs rounds by itself every
    /// <see cref="ProviderHealthOptions.ProbeInterval"/>; a tool that runs briefly (a CLI) calls this.
    /// </summary>
    /// <param name="cancellationToken">Cancels the round.</param>
    public async Task CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<ShowSession> open = Ledger.OpenShows();
            await Task.WhenAll(_members.Select(m => ProbeAsync(m, open, cancellationToken))).ConfigureAwait(false);
            DateTimeOffset now = TimeProvider.GetUtcNow();
            if (Options.Health.PollInterval > TimeSpan.Zero && now >= _nextPoll)
            {
                _nextPoll = now + Options.Health.PollInterval;
                await Task.WhenAll(_members.Where(m => m.Capabilities.Supports(ProviderFeatures.StreamState) && IsUp(m.Name)).Select(m => PollAsync(m, cancellationToken))).ConfigureAwait(false);
            }

            Ledger.Sweep(TimeProvider.GetUtcNow());
            foreach ((StreamId stream, WarmRelay relay) in _relays)
            {
                if (relay.EndsAt - TimeProvider.GetUtcNow() < WarmRelayRenewal && OpenShow(stream) is { } show)
                {
                    _ = RestartWarmAsync(stream, show.HostProvider);
                }
            }
        }
        finally
        {
            _round.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Also answers a member by its name as the key: <c>GetService(typeof(IStreamProvider), "NginxA")</c>.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is string member && _byName.TryGetValue(member, out IStreamProvider? provider))
        {
            return serviceType.IsInstanceOfType(provider) ? provider : provider.GetService(serviceType);
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <summary>Stops the checks (the members are not disposed: they belong to whoever created them).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation.
        }

        Health.HealthChanged -= OnHealthChanged;
        Ledger.EntryAdded -= OnEntryAdded;
        _stop.Dispose();
        if (_ownsProbeClient)
        {
            _probeClient.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Dispose();
    }

    void IMemberObserver.OnApiOutcome(string member, LiveCloudException? failure)
    {
        if (failure is null)
        {
            Health.ReportSuccess(member, HealthSignal.Api);
        }
        else
        {
            // LiveCloud's messages name the operation, vendor code and request id, never a URL's query or a key.
            Health.ReportFailure(member, HealthSignal.Api, failure.Message, failure.ErrorCode ?? failure.GetType().Name);
        }
    }

    void IMemberObserver.OnMemberEvent(StreamEvent memberEvent)
    {
        Health.ReportSuccess(memberEvent.Provider, HealthSignal.Callback);
        Ledger.Record(memberEvent);
    }

    /// <inheritdoc />
    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol)
    {
        RoutingDecision decision = RoutePush(stream);
        Count(decision);
        return _byName[decision.Provider].CreatePushUrl(stream, expiresAt, protocol);
    }

    /// <inheritdoc />
    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, PlayUrlOptions options)
    {
        RoutingDecision decision = RoutePlay(stream, options.Region);
        Count(decision);
        return _byName[decision.Provider].CreatePlayUrls(stream, expiresAt, options with { Protocols = protocols });
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<LiveDomain> ListDomainsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (IStreamProvider member in _members)
        {
            await foreach (LiveDomain domain in member.ListDomainsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(domain.Name))
                {
                    yield return domain;
                }
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<DomainStatus> GetDomainStatusCoreAsync(string domain, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (IStreamProvider member in _members)
        {
            try
            {
                return await member.GetDomainStatusAsync(domain, cancellationToken).ConfigureAwait(false);
            }
            catch (LiveCloudNotFoundException)
            {
                // Another member's domain.
            }
        }

        throw new LiveCloudNotFoundException($"No member of {Name} ({string.Join(", ", _members.Select(m => m.Name))}) has the domain '{domain}'.") { Provider = Name };
    }

    /// <inheritdoc />
    protected override async Task<RecordingTask> StartRecordingCoreAsync(StreamId stream, RecordingOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IStreamProvider member = Holder(stream);
        RecordingTask task = await member.StartRecordingAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return task with { Id = Prefixed(member, task.Id) };
    }

    /// <inheritdoc />
    protected override Task StopRecordingCoreAsync(RecordingTask task, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        (IStreamProvider member, string id) = Unprefixed(task.Id, nameof(task)) ?? (Holder(task.Stream), task.Id);
        return member.StopRecordingAsync(task with { Id = id }, cancellationToken);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedFile> ListRecordingsCoreAsync(StreamId stream, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var files = new List<RecordedFile>();
        foreach (IStreamProvider member in _members)
        {
            await foreach (RecordedFile file in member.ListRecordingsAsync(stream, since, until, cancellationToken).ConfigureAwait(false))
            {
                files.Add(file);
            }
        }

        // A show that failed over was recorded on each member it crossed: one list, in time order.
        foreach (RecordedFile file in files.OrderBy(f => f.StartTime))
        {
            yield return file;
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamState> ListOnlineStreamsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seen = new HashSet<StreamId>();
        foreach (IStreamProvider member in _members.Where(m => IsUp(m.Name)))
        {
            await foreach (StreamState state in member.ListOnlineStreamsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(state.Stream))
                {
                    yield return state;
                }
            }
        }
    }

    /// <summary>The state on the members that are up: active where any is pushed, else forbidden where any forbids it.</summary>
    /// <inheritdoc />
    protected override async Task<StreamState> GetStreamStateCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IStreamProvider[] asked = [.. _members.Where(m => IsUp(m.Name))];
        StreamState[] states = await Task.WhenAll((asked.Length > 0 ? asked : _members).Select(m => m.GetStreamStateAsync(stream, cancellationToken))).ConfigureAwait(false);
        return states.FirstOrDefault(s => s.Status == StreamStatus.Active)
            ?? states.FirstOrDefault(s => s.Status == StreamStatus.Forbidden)
            ?? states[0];
    }

    /// <summary>Forbids the stream on every member, so its host cannot fail over to push anyway.</summary>
    /// <inheritdoc />
    protected override Task ForbidStreamCoreAsync(StreamId stream, DateTimeOffset? until, CancellationToken cancellationToken) =>
        OnEveryMemberAsync(m => m.ForbidStreamAsync(stream, until, cancellationToken), cancellationToken);

    /// <inheritdoc />
    protected override Task ResumeStreamCoreAsync(StreamId stream, CancellationToken cancellationToken) =>
        OnEveryMemberAsync(m => m.ResumeStreamAsync(stream, cancellationToken), cancellationToken);

    /// <summary>Drops the stream's publisher on every member it is live on (every member that is up, when none is known).</summary>
    /// <inheritdoc />
    protected override Task DropStreamCoreAsync(StreamId stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IStreamProvider[] live = [.. (OpenShow(stream)?.LiveOn ?? []).Where(_byName.ContainsKey).Select(n => _byName[n])];
        IEnumerable<IStreamProvider> targets = live.Length > 0 ? live : _members.Where(m => IsUp(m.Name));
        return Task.WhenAll(targets.Select(m => m.DropStreamAsync(stream, cancellationToken)));
    }

    /// <summary>A push relay runs on the member holding the stream; a pull relay on the member its host would be sent to.</summary>
    /// <inheritdoc />
    protected override async Task<RelayTask> StartRelayCoreAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IStreamProvider member = Holder(request.Stream);
        RelayTask task = await member.StartRelayAsync(request, cancellationToken).ConfigureAwait(false);
        return task with { Id = Prefixed(member, task.Id) };
    }

    /// <inheritdoc />
    protected override async Task<RelayTask> GetRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        (IStreamProvider member, string id) = Unprefixed(relayId, nameof(relayId)) ?? throw UnknownId(relayId, nameof(relayId));
        RelayTask task = await member.GetRelayAsync(id, cancellationToken).ConfigureAwait(false);
        return task with { Id = relayId };
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RelayTask> ListRelaysCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (IStreamProvider member in _members)
        {
            await foreach (RelayTask task in member.ListRelaysAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return task with { Id = Prefixed(member, task.Id) };
            }
        }
    }

    /// <inheritdoc />
    protected override Task StopRelayCoreAsync(string relayId, CancellationToken cancellationToken)
    {
        (IStreamProvider member, string id) = Unprefixed(relayId, nameof(relayId)) ?? throw UnknownId(relayId, nameof(relayId));
        return member.StopRelayAsync(id, cancellationToken);
    }

    /// <summary>
    /// Asks each member in turn to verify the callback; the first that does parses it (and the ledger records it) and the
    /// event is returned under this provider's name. A member that verified it but found it malformed decides too.
    /// </summary>
    /// <inheritdoc />
    protected override async ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        var refusals = new List<string>();
        foreach (IStreamProvider member in _members)
        {
            try
            {
                StreamEvent e = await member.ParseCallbackAsync(request, cancellationToken).ConfigureAwait(false);
                return e with { Provider = Name };
            }
            catch (CallbackVerificationException ex)
            {
                refusals.Add($"{member.Name}: {ex.Message}");
            }
        }

        throw new CallbackVerificationException($"No member of {Name} verified the callback ({string.Join("; ", refusals)}).") { Provider = Name };
    }

    private static ProviderCapabilities Intersect(IStreamProvider[] members)
    {
        ProviderFeatures features = AllFeatures;
        foreach (IStreamProvider member in members)
        {
            features &= member.Capabilities.Features;
        }

        StreamProtocol[] push = [.. members[0].Capabilities.PushProtocols.Where(p => members.All(m => m.Capabilities.CanPush(p)))];
        StreamProtocol[] play = [.. members[0].Capabilities.PlayProtocols.Where(p => members.All(m => m.Capabilities.CanPlay(p)))];
        if (push.Length == 0)
        {
            features &= ~ProviderFeatures.PushUrls;
        }

        if (play.Length == 0)
        {
            features &= ~ProviderFeatures.PlayUrls;
        }

        return new ProviderCapabilities(features, push, play);
    }

    private static string Prefixed(IStreamProvider member, string id) => member.Name + ":" + id;

    private static ArgumentException UnknownId(string id, string parameter) =>
        new($"'{id}' is not an id this multi-cloud provider gave out (they have the form member:id).", parameter);

    private (IStreamProvider Member, string Id)? Unprefixed(string id, string parameter)
    {
        int colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !_byName.TryGetValue(id[..colon], out IStreamProvider? member))
        {
            return null;
        }

        return colon == id.Length - 1 ? throw UnknownId(id, parameter) : (member, id[(colon + 1)..]);
    }

    private ShowSession? OpenShow(StreamId stream) => Ledger.Find(stream) is { IsOpen: true } show ? show : null;

    private bool IsUp(string member) => Health.IsUp(member);

    private string? FirstUpBackup() => _members.Skip(1).FirstOrDefault(m => IsUp(m.Name))?.Name;

    // The member a stream's management calls go to: a healthy holder, else where its host is sent.
    private IStreamProvider Holder(StreamId stream)
    {
        ShowSession? show = OpenShow(stream);
        if (show is not null)
        {
            if (IsUp(show.HostProvider) && show.LiveOn.Contains(show.HostProvider, StringComparer.OrdinalIgnoreCase))
            {
                return _byName[show.HostProvider];
            }

            if (show.LiveOn.FirstOrDefault(IsUp) is { } holder)
            {
                return _byName[holder];
            }
        }

        return _byName[RoutePush(stream).Provider];
    }

    private RouteCandidate[] Candidates(ShowSession? show, bool priced, string? region)
    {
        var candidates = new RouteCandidate[_members.Length];
        for (int i = 0; i < _members.Length; i++)
        {
            IStreamProvider member = _members[i];
            var candidate = new RouteCandidate(member.Name, IsUp(member.Name), show?.LiveOn.Contains(member.Name, StringComparer.OrdinalIgnoreCase) == true);
            if (priced)
            {
                DeliveryPrices.Price price = _prices.Get(member, region);
                candidate = candidate with { PricePerGB = price.PerGB, Currency = price.Currency, PriceNote = price.Note };
            }

            candidates[i] = candidate;
        }

        return candidates;
    }

    // Healthy holders first, then healthy members, then the rest; within each, by price (cost routing: the currency of the
    // cheapest, then other currencies, then unpriced) or the configured order. OrderBy is stable: ties keep that order.
    private static RouteCandidate[] Rank(RouteCandidate[] candidates)
    {
        string? currency = candidates.Where(c => c.PricePerGB is not null).OrderBy(c => c.PricePerGB).FirstOrDefault()?.Currency;
        return [.. candidates
            .OrderBy(c => c.IsUp && c.HoldsStream ? 0 : c.IsUp ? 1 : 2)
            .ThenBy(c => c.PricePerGB is null ? 2 : c.Currency == currency ? 0 : 1)
            .ThenBy(c => c.PricePerGB ?? 0)];
    }

    private static RouteCandidate[] Order(RouteCandidate[] candidates, string chosen) =>
        [.. candidates.Where(c => c.Provider == chosen), .. candidates.Where(c => c.Provider != chosen)];

    private static string CostReason(RouteCandidate[] holders, string? region)
    {
        RouteCandidate best = holders[0];
        string where = region ?? UsageProfile.Mainland;
        string others = string.Join(", ", holders.Skip(1).Select(c => c.PricePerGB is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{c.Provider} {p:0.####} {c.Currency}/GB")
            : $"{c.Provider} unpriced ({c.PriceNote})"));
        return best.PricePerGB is { } price
            ? string.Create(CultureInfo.InvariantCulture, $"the cheapest healthy member holding the stream for {where}: {best.Provider} {price:0.####} {best.Currency}/GB (then {others})")
            : $"no healthy member holding the stream has a confirmed price for {where}; {best.Provider} comes first in the configured order ({best.PriceNote})";
    }

    private void Count(RoutingDecision decision) =>
        _routes.Add(1, new("livecloud.multicloud", Name), new("livecloud.route.purpose", decision.Purpose == RoutingPurpose.Push ? "push" : "play"), new("livecloud.provider", decision.Provider));

    // Every member is asked, whatever the others answer; the first failure is the caller's to see.
    private Task OnEveryMemberAsync(Func<IStreamProvider, Task> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.WhenAll(_members.Select(call));
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Options.Health.ProbeInterval, TimeProvider, cancellationToken).ConfigureAwait(false);
                await CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(_logger, Name, ex);
            }
        }
    }

    private async Task ProbeAsync(IStreamProvider member, IReadOnlyList<ShowSession> open, CancellationToken cancellationToken)
    {
        // The most recent show live on the member, if any: its delivery is what viewers see.
        StreamId? live = open.Where(s => s.LiveOn.Contains(member.Name, StringComparer.OrdinalIgnoreCase)).MaxBy(s => s.StartedAt)?.Stream;
        ProbeResult result = await DeliveryProbe.RunAsync(member, live, Options.Health, _probeClient, TimeProvider, cancellationToken).ConfigureAwait(false);
        if (!result.Counted)
        {
            return;
        }

        if (result.Ok)
        {
            Health.ReportSuccess(member.Name, HealthSignal.Probe);
        }
        else
        {
            Health.ReportFailure(member.Name, HealthSignal.Probe, result.What, result.ErrorType);
        }
    }

    // Streams live on the member that the ledger does not know, and known ones it no longer lists, as if their callbacks came.
    private async Task PollAsync(IStreamProvider member, CancellationToken cancellationToken)
    {
        DateTimeOffset asked = TimeProvider.GetUtcNow();
        var online = new HashSet<StreamId>();
        try
        {
            await foreach (StreamState state in member.ListOnlineStreamsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (state.Status == StreamStatus.Active)
                {
                    online.Add(state.Stream);
                }
            }
        }
        catch (LiveCloudException)
        {
            return; // Counted by the member's tap.
        }

        string stamp = asked.UtcTicks.ToString(CultureInfo.InvariantCulture);
        foreach (StreamId stream in online)
        {
            if (OpenShow(stream)?.LiveOn.Contains(member.Name, StringComparer.OrdinalIgnoreCase) != true)
            {
                Ledger.Record(new StreamEvent(member.Name, StreamEventKind.Published, stream, asked, $"poll:{stamp}:published") { VendorEventType = "poll" });
            }
        }

        foreach (ShowSession show in Ledger.OpenShows())
        {
            if (show.LiveOn.Contains(member.Name, StringComparer.OrdinalIgnoreCase) && !online.Contains(show.Stream))
            {
                // Stamped with when the list was asked for: a publish that came after is newer, and this is late.
                Ledger.Record(new StreamEvent(member.Name, StreamEventKind.Unpublished, show.Stream, asked, $"poll:{stamp}:unpublished") { VendorEventType = "poll" });
            }
        }
    }

    private void OnHealthChanged(object? sender, ProviderHealthChangedEventArgs e)
    {
        ProviderHealth h = e.Health;
        if (h.IsUp)
        {
            LogUp(_logger, Name, h.Provider, e.Reason);
        }
        else
        {
            LogDown(_logger, Name, h.Provider, e.Reason);
        }

        Ledger.RecordProviderHealth(h.Provider, h.IsUp, h.Since, e.Reason);
        foreach (ShowSession show in Ledger.OpenShows())
        {
            UpdateServing(show.Stream);
        }
    }

    private void OnEntryAdded(object? sender, TimelineEntryEventArgs e)
    {
        TimelineEntry entry = e.Entry;
        ShowSession show = e.Session;
        switch (entry.Kind)
        {
            case TimelineEntryKind.ProviderDown or TimelineEntryKind.ProviderUp:
                Raise(StreamEventKind.ProviderHealthChanged, show, entry);
                break;
            case TimelineEntryKind.ViewersSwitched:
                Raise(StreamEventKind.ServingProviderChanged, show, entry);
                break;
            case TimelineEntryKind.Started or TimelineEntryKind.HostMoved or TimelineEntryKind.HostReturned or TimelineEntryKind.AlsoLive or TimelineEntryKind.NoLongerLive:
                UpdateServing(show.Stream);
                if (Options.WarmBackup && entry.Kind is TimelineEntryKind.Started or TimelineEntryKind.HostMoved or TimelineEntryKind.HostReturned)
                {
                    KeepWarm(show.Stream, show.HostProvider);
                }

                break;
            case TimelineEntryKind.Ended:
                if (Options.WarmBackup)
                {
                    _ = StopWarmAsync(show.Stream, "the show ended");
                }

                break;
        }

        if (entry.Kind == TimelineEntryKind.HostMoved)
        {
            LogFailover(_logger, Name, show.Stream, entry.PreviousProvider, entry.Provider);
        }
    }

    // Keeps the member viewers play from on a healthy holder; sticky, so viewers are not moved while it holds the stream.
    private void UpdateServing(StreamId stream)
    {
        if (OpenShow(stream) is not { } show)
        {
            return;
        }

        string[] holders = [.. show.LiveOn.Where(IsUp)];
        if (holders.Length == 0 || (show.ServingProvider is { } current && holders.Contains(current, StringComparer.OrdinalIgnoreCase)))
        {
            return;
        }

        RoutingDecision decision = RoutePlay(stream);
        string why = show.ServingProvider is { } previous && !IsUp(previous) ? $"{previous} is down; {decision.Reason}" : decision.Reason;
        Ledger.RecordServing(stream, decision.Provider, TimeProvider.GetUtcNow(), why);
    }

    private void Raise(StreamEventKind kind, ShowSession show, TimelineEntry entry)
    {
        var e = new StreamEvent(Name, kind, show.Stream, entry.At, CallbackGuard.EventId(Name, show.Id, entry.Sequence.ToString(CultureInfo.InvariantCulture)))
        {
            SessionId = show.Id,
            VendorEventType = entry.Provider,
            Detail = entry.Detail,
        };
        try
        {
            EventRaised?.Invoke(this, e);
        }
        catch (Exception ex)
        {
            // A handler's failure must not fail the member callback or health check that caused the event.
            LogHandlerFailed(_logger, Name, kind, ex);
        }
    }

    // Starts a relay from the host's member to the next healthy member (replacing one that fed another), in the background.
    private void KeepWarm(StreamId stream, string host)
    {
        string? target = _members.Select(m => m.Name).FirstOrDefault(n => !string.Equals(n, host, StringComparison.OrdinalIgnoreCase) && IsUp(n));
        if (target is null || (_relays.TryGetValue(stream, out WarmRelay? current) && current.From == host && current.To == target))
        {
            return;
        }

        _ = RestartWarmAsync(stream, host, target);
    }

    private async Task RestartWarmAsync(StreamId stream, string host, string? target = null)
    {
        target ??= _members.Select(m => m.Name).FirstOrDefault(n => !string.Equals(n, host, StringComparison.OrdinalIgnoreCase) && IsUp(n));
        await StopWarmAsync(stream, $"the host is on {host} now").ConfigureAwait(false);
        if (target is not null)
        {
            await StartWarmAsync(stream, _byName[host], _byName[target]).ConfigureAwait(false);
        }
    }

    private async Task StartWarmAsync(StreamId stream, IStreamProvider from, IStreamProvider to)
    {
        (IStreamProvider Runner, RelayRequest Request)? relay = null;
        DateTimeOffset ends = default;
        foreach (TimeSpan lifetime in WarmRelayLifetimes)
        {
            ends = TimeProvider.GetUtcNow() + lifetime;
            try
            {
                relay = WarmRelayRequest(stream, from, to, ends);
                break;
            }
            catch (ArgumentOutOfRangeException ex) when (ex.ParamName == "expiresAt")
            {
                // The member signs no URL valid that long: try the shorter lifetime.
            }
        }

        if (relay is not { } r)
        {
            LogCannotWarm(_logger, Name, stream, from.Name, to.Name);
            return;
        }

        (IStreamProvider runner, RelayRequest request) = r;

        // Recorded first, so that the copy's publish on the target is known as the relay's.
        string how = request.Direction == RelayDirection.Push ? $"a push relay on {from.Name}" : $"a pull relay on {to.Name}";
        Ledger.RecordRelay(stream, to.Name, true, TimeProvider.GetUtcNow(), $"Relaying from {from.Name} to {to.Name} ({how}) to keep {to.Name} warm.");
        try
        {
            RelayTask task = await runner.StartRelayAsync(request, _stop.Token).ConfigureAwait(false);
            _relays[stream] = new WarmRelay(runner, task.Id, from.Name, to.Name, ends);
            LogWarm(_logger, Name, stream, from.Name, to.Name, runner.Name, task.Id);
        }
        catch (Exception ex) when (ex is LiveCloudException or ArgumentException or NotSupportedException or OperationCanceledException)
        {
            Ledger.RecordRelay(stream, to.Name, false, TimeProvider.GetUtcNow(), $"The relay to {to.Name} could not start: {ex.Message}");
            LogWarmFailed(_logger, Name, stream, to.Name, ex.Message);
        }
    }

    // A push relay on the host's member into the target's push URL, else a pull relay on the target from the host's play
    // URL; null when neither member relays that way.
    private static (IStreamProvider Runner, RelayRequest Request)? WarmRelayRequest(StreamId stream, IStreamProvider from, IStreamProvider to, DateTimeOffset ends)
    {
        if (from.Capabilities.Supports(ProviderFeatures.PushRelay) && to.Capabilities.CanPush(StreamProtocol.Rtmp))
        {
            return (from, RelayRequest.PushTo(stream, new Uri(to.CreatePushUrl(stream, ends).Url), ends));
        }

        StreamProtocol[] sources = [.. new[] { StreamProtocol.Rtmp, StreamProtocol.HttpFlv, StreamProtocol.Hls }.Where(from.Capabilities.CanPlay)];
        if (to.Capabilities.Supports(ProviderFeatures.PullRelay) && from.Capabilities.Supports(ProviderFeatures.PlayUrls) && sources.Length > 0)
        {
            string source = from.CreatePlayUrls(stream, ends, new PlayUrlOptions { Protocols = [sources[0]] }).Urls[0].Url;
            return (to, RelayRequest.PullFrom(new Uri(source), stream, ends));
        }

        return null;
    }

    private async Task StopWarmAsync(StreamId stream, string why)
    {
        if (!_relays.TryRemove(stream, out WarmRelay? relay))
        {
            return;
        }

        Ledger.RecordRelay(stream, relay.To, false, TimeProvider.GetUtcNow(), $"Stopped the relay from {relay.From} to {relay.To}: {why}.");
        try
        {
            await relay.Runner.StopRelayAsync(relay.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LiveCloudException or ArgumentException or NotSupportedException)
        {
            LogWarmFailed(_logger, Name, stream, relay.To, ex.Message);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Composite}: member {Provider} marked down: {Reason}")]
    private static partial void LogDown(ILogger logger, string composite, string provider, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Composite}: member {Provider} marked up: {Reason}")]
    private static partial void LogUp(ILogger logger, string composite, string provider, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Composite}: the host of {Stream} moved from {From} to {To}")]
    private static partial void LogFailover(ILogger logger, string composite, StreamId stream, string? from, string? to);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "{Composite}: a round of health checks failed")]
    private static partial void LogRoundFailed(ILogger logger, string composite, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Composite}: a handler of a {Kind} event failed")]
    private static partial void LogHandlerFailed(ILogger logger, string composite, StreamEventKind kind, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Composite}: relaying {Stream} from {From} to {To} (relay {RelayId} on {Runner}) to keep {To} warm")]
    private static partial void LogWarm(ILogger logger, string composite, StreamId stream, string from, string to, string runner, string relayId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Composite}: the warm-backup relay of {Stream} to {To} failed: {Reason}")]
    private static partial void LogWarmFailed(ILogger logger, string composite, StreamId stream, string to, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Composite}: cannot keep {To} warm for {Stream}: {From} has no push relays and {To} no pull relays, or they sign no URL valid for an hour")]
    private static partial void LogCannotWarm(ILogger logger, string composite, StreamId stream, string from, string to);

    private sealed record WarmRelay(IStreamProvider Runner, string Id, string From, string To, DateTimeOffset EndsAt);
}
