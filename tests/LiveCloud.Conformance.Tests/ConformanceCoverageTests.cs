using System.Reflection;
using LiveCloud.Testing;

namespace LiveCloud.Conformance.Tests;

/// <summary>
/// Fails when a provider in src/ has no subclass of <see cref="StreamProviderConformanceTests{TProvider}"/>:
/// a new provider cannot land without running the suite written once for all of them.
/// </summary>
public class ConformanceCoverageTests
{
    private static readonly string[] LibraryNames = ["LiveCloud.Abstractions", "LiveCloud.Tencent", "LiveCloud.Aliyun", "LiveCloud.Qiniu", "LiveCloud.Nginx"];

    // The build copies every referenced project's assembly next to this one; the compiler would drop
    // references this assembly never uses from its metadata, so look at the files.
    private static IEnumerable<Assembly> Referenced(Func<string, bool> nameMatches) =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "LiveCloud.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && nameMatches(n) && n != typeof(ConformanceCoverageTests).Assembly.GetName().Name)
            .Select(n => Assembly.Load(n!));

    private static IEnumerable<Type> ProviderTypes() =>
        Referenced(LibraryNames.Contains)
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IStreamProvider).IsAssignableFrom(t));

    private static HashSet<Type> CoveredProviderTypes() =>
        [.. Referenced(n => n.EndsWith(".Tests", StringComparison.Ordinal))
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .Select(ConformanceProviderOf)
            .OfType<Type>()];

    private static Type? ConformanceProviderOf(Type type)
    {
        for (Type? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(StreamProviderConformanceTests<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }

    [Fact]
    public void Every_provider_in_src_runs_the_conformance_suite()
    {
        List<string> uncovered = [.. ProviderTypes().Except(CoveredProviderTypes()).Select(t => t.FullName!)];
        uncovered.Should().BeEmpty("every provider needs a two-line subclass of StreamProviderConformanceTests<TProvider> in its test project, and that project referenced here");
    }

    [Fact]
    public void The_scan_sees_the_conformance_subclasses()
    {
        // Guards the test above against passing because it found nothing to look at.
        CoveredProviderTypes().Should().NotBeEmpty();
        Referenced(LibraryNames.Contains).Select(a => a.GetName().Name).Should().Contain("LiveCloud.Abstractions");
    }
}
