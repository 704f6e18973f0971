using LiveCloud.Tencent;
using LiveCloud.Testing.Emulators.Tencent;

namespace LiveCloud.Conformance.Tests;

/// <summary>The Tencent provider against the loopback API emulator.</summary>
public sealed class TencentFixture : StreamProviderFixture<TencentStreamProvider>, IAsyncLifetime
{
    private TencentApiEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await TencentApiEmulator.StartAsync(Clock);
        _emulator.AddDomain(TencentApiEmulator.PushDomain, 0);
        _emulator.AddDomain(TencentApiEmulator.PlayDomain, 1);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    protected override TencentStreamProvider CreateProvider()
    {
        var options = new TencentOptions
        {
            SecretId = TencentApiEmulator.SecretId,
            SecretKey = TencentApiEmulator.SecretKey,
            PushDomain = TencentApiEmulator.PushDomain,
            PushKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8",
            PlayDomain = TencentApiEmulator.PlayDomain,
            PlayKey = "e12c46f2612d5106e2034781ab261ca3",
            CallbackKey = "3a5e7f0c9b1d",
            Endpoint = _emulator.Endpoint,
            Resilience = Fast.Resilience(),
        };
        return new TencentStreamProvider(options, Fast.Pipeline("Tencent", options.Endpoint, options.Resilience), Clock, null, new FakeCnameVerifier());
    }
}

/// <summary>The provider conformance suite, run against Tencent.</summary>
public sealed class TencentConformance(TencentFixture f) : StreamProviderConformanceTests<TencentStreamProvider>(f), IClassFixture<TencentFixture>;
