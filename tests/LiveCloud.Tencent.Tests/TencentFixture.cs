using LiveCloud.Tencent.Tests.Emulator;
using LiveCloud.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>The Tencent provider against the loopback API emulator, for the conformance suite.</summary>
public sealed class TencentFixture : StreamProviderFixture<TencentStreamProvider>, IAsyncLifetime
{
    public TencentApiEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await TencentApiEmulator.StartAsync(Clock);
        Emulator.AddDomain(TencentApiEmulator.PushDomain, 0);
        Emulator.AddDomain(TencentApiEmulator.PlayDomain, 1);
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    protected override TencentStreamProvider CreateProvider() => TencentTestSetup.Provider(TencentTestSetup.Options(Emulator.Endpoint), Clock);
}

/// <summary>The provider conformance suite, run against Tencent.</summary>
public sealed class TencentConformance(TencentFixture f) : StreamProviderConformanceTests<TencentStreamProvider>(f), IClassFixture<TencentFixture>;
