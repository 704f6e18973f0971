namespace LiveCloud.Conformance.Tests;

/// <summary>The smallest provider (URLs only), which proves the suite itself runs and skips what a provider lacks.</summary>
public sealed class SampleFixture : StreamProviderFixture<SampleProvider>
{
    protected override SampleProvider CreateProvider() => new("Sample", new SampleOptions { Host = "push.example.com", Key = "0123456789abcdef" }, Clock);
}

/// <summary>The provider conformance suite, run against the sample provider.</summary>
public sealed class SampleConformance(SampleFixture fixture) : StreamProviderConformanceTests<SampleProvider>(fixture), IClassFixture<SampleFixture>;
