using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Testing;

/// <summary>
/// What the conformance suite needs from one provider. A provider's test project derives a fixture that
/// builds the provider (against its loopback emulator or real server) on <see cref="Clock"/>, with <see cref="Dns"/>
/// as its CNAME verifier, and overrides the hooks its provider can serve: signed callbacks
/// (<see cref="CreateSignedCallback"/>), domains with an expected CNAME (<see cref="DomainsWithCname"/>), relays
/// (<see cref="RelayRemotes"/>). A hook left alone makes the tests that need it skip, visibly, with the reason.
/// </summary>
/// <typeparam name="TProvider">The provider type covered; the coverage test matches on it.</typeparam>
public abstract class StreamProviderFixture<TProvider> : IDisposable
    where TProvider : class, IStreamProvider
{
    private TProvider? _provider;
    private DnsmasqCnameVerifier? _dns;

    /// <summary>The clock the provider reads, frozen at a fixed instant unless a test moves it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The provider under test (created once, on first use).</summary>
    public TProvider Provider => _provider ??= CreateProvider();

    /// <summary>
    /// A stream id valid for this provider, and known to its vendor: a fixture whose vendor forbids only streams it
    /// has seen (Qiniu creates a stream on its first push) has its emulator know this one.
    /// </summary>
    public virtual StreamId SampleStream => new("live", "conformance_1");

    /// <summary>Whether URLs are signed (so that expiry and stream change them).</summary>
    public virtual bool SignsUrls => true;

    /// <summary>
    /// The CNAME verifier to build the provider with: the library's <c>CnameVerifier</c> asking a real dnsmasq, which
    /// starts on the first domain check only (so building the provider starts nothing, and the fast test set, which
    /// checks no domain, never runs dnsmasq). The suite serves the records it checks with
    /// <see cref="DnsmasqCnameVerifier.ServeCname"/>.
    /// </summary>
    public DnsmasqCnameVerifier Dns => _dns ??= new DnsmasqCnameVerifier();

    /// <summary>
    /// At least two enabled domains the provider reports with the CNAME target its vendor (emulator) or its options
    /// expect, as <c>(domain, expected target)</c>; empty when the fixture has none, and the domain test skips.
    /// </summary>
    public virtual IReadOnlyList<(string Domain, string ExpectedCname)> DomainsWithCname => [];

    /// <summary>
    /// Why <see cref="IStreamProvider.GetStreamStateAsync"/> of this provider cannot say <see cref="StreamStatus.Forbidden"/>
    /// after <see cref="IStreamProvider.ForbidStreamAsync"/> (a known provider defect, reported), or <see langword="null"/>.
    /// The forbid test still runs every call and checks the rest; it then skips with this reason, and fails once the
    /// provider does report the forbid (so that the declaration is removed).
    /// </summary>
    public virtual string? ForbiddenStateGap => null;

    /// <summary>
    /// A callback of <paramref name="kind"/> (<see cref="StreamEventKind.Published"/> or <see cref="StreamEventKind.Unpublished"/>)
    /// for <paramref name="stream"/> as the vendor sends it, signed by the vendor's rule written in the test code (never by
    /// the library's signer); <see langword="null"/> when the fixture builds none, and the callback test skips.
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="kind">Published or Unpublished (one push session: the unpublish ends the publish's session).</param>
    /// <param name="delivery">1 for the first delivery, 2 for the vendor's redelivery of the same event (re-signed later, where the vendor re-signs).</param>
    public virtual CallbackRequest? CreateSignedCallback(StreamId stream, StreamEventKind kind, int delivery) => null;

    /// <summary>
    /// The signatures and tokens in <paramref name="callback"/> (one made by <see cref="CreateSignedCallback"/>) that
    /// verification checks, each enough to refuse the callback when spoilt; none may reach the event's raw payload.
    /// </summary>
    /// <param name="callback">A callback this fixture created.</param>
    /// <exception cref="NotSupportedException">The fixture creates no signed callbacks.</exception>
    public virtual IReadOnlyList<string> SignaturesOf(CallbackRequest callback) =>
        throw new NotSupportedException($"{GetType().Name} creates no signed callbacks; a fixture that overrides CreateSignedCallback names their signatures here too.");

    /// <summary>
    /// Outside URLs to relay with: a push target (a platform's server and stream key) and a pull source, as the vendor
    /// would accept them (public host names: an emulator connects to neither). <see langword="null"/> when the fixture
    /// runs no relays, and the relay test skips, visibly, with the reason.
    /// </summary>
    public virtual (Uri PushTarget, Uri PullSource)? RelayRemotes => null;

    /// <summary>
    /// The configuration sections whose <c>AllowPrivateRelayTargets</c> a refused private relay target may name: the
    /// provider's own by default; a composite's members, whose options decide.
    /// </summary>
    public virtual IReadOnlyList<string>? RelayOptionOwners => null;

    /// <summary>Builds the provider on <see cref="Clock"/>.</summary>
    protected abstract TProvider CreateProvider();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the provider and anything the fixture started (dnsmasq among them).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        if (_provider is IDisposable disposable)
        {
            disposable.Dispose();
        }

        if (_dns is { } dns)
        {
            // Off xunit's synchronization context: dnsmasq's exit is awaited there.
            Task.Run(async () => await dns.DisposeAsync()).GetAwaiter().GetResult();
        }
    }
}
