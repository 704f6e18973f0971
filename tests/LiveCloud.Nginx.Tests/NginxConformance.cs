using LiveCloud.Nginx;

namespace LiveCloud.Nginx.Tests;

/// <summary>The conformance suite against the real provider class (no nginx needed: it only signs and refuses).</summary>
public sealed class NginxFixture : StreamProviderFixture<NginxStreamProvider>
{
    /// <inheritdoc />
    protected override NginxStreamProvider CreateProvider() => TestOptions.Provider(TestOptions.Create(), Clock);
}

/// <summary>The shared conformance suite, run against <see cref="NginxStreamProvider"/>.</summary>
public sealed class NginxConformance(NginxFixture f) : StreamProviderConformanceTests<NginxStreamProvider>(f), IClassFixture<NginxFixture>;
