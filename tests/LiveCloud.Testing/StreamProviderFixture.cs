using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Testing;

/// <summary>
/// What the conformance suite needs from one provider. A provider's test project derives a fixture that
/// builds the provider (against its loopback emulator or real server) on <see cref="Clock"/>.
/// </summary>
/// <typeparam name="TProvider">The provider type covered; the coverage test matches on it.</typeparam>
public abstract class StreamProviderFixture<TProvider> : IDisposable
    where TProvider : class, IStreamProvider
{
    private TProvider? _provider;

    /// <summary>The clock the provider reads, frozen at a fixed instant unless a test moves it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The provider under test (created once, on first use).</summary>
    public TProvider Provider => _provider ??= CreateProvider();

    /// <summary>A stream id valid for this provider.</summary>
    public virtual StreamId SampleStream => new("live", "conformance_1");

    /// <summary>Whether URLs are signed (so that expiry and stream change them).</summary>
    public virtual bool SignsUrls => true;

    /// <summary>Builds the provider on <see cref="Clock"/>.</summary>
    protected abstract TProvider CreateProvider();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the provider and anything the fixture started.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _provider is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
