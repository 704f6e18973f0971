using System.Reflection;

namespace LiveCloud.Conformance.Tests;

/// <summary>
/// Fails when a provider in src/ has no subclass of <see cref="StreamProviderConformanceTests{TProvider}"/> in this
/// project, or when a library in src/ is not referenced here (so its providers could not be seen): a new provider
/// cannot land without running the suite written once for all of them.
/// </summary>
public class ConformanceCoverageTests
{
    /// <summary>The library projects in src/, by the repository's folders (not a list kept by hand).</summary>
    private static IReadOnlyList<string> LibraryNames()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveCloud.sln")))
        {
            dir = dir.Parent;
        }

        dir.Should().NotBeNull("the tests run from the repository's build output");
        return [.. Directory.EnumerateFiles(Path.Combine(dir!.FullName, "src"), "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];
    }

    // The build copies every referenced project's assembly next to this one; the compiler would drop references
    // this assembly never uses from its metadata, so look at the files.
    private static IEnumerable<Assembly> Libraries() =>
        LibraryNames()
            .Where(n => File.Exists(Path.Combine(AppContext.BaseDirectory, n + ".dll")))
            .Select(n => Assembly.Load(n));

    private static IEnumerable<Type> ProviderTypes() =>
        Libraries()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IStreamProvider).IsAssignableFrom(t));

    /// <summary>The provider types <paramref name="providers"/> holds that no type of <paramref name="candidates"/> runs the suite against.</summary>
    internal static IReadOnlyList<Type> Uncovered(IEnumerable<Type> providers, IEnumerable<Type> candidates)
    {
        HashSet<Type> covered = [.. candidates.Where(t => t is { IsClass: true, IsAbstract: false }).Select(ConformanceProviderOf).OfType<Type>()];
        return [.. providers.Where(p => !covered.Contains(p))];
    }

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

    private static Type[] ThisAssembly => typeof(ConformanceCoverageTests).Assembly.GetTypes();

    [Fact]
    public void Every_library_in_src_is_referenced_here()
    {
        LibraryNames().Should().Contain(["LiveCloud.Abstractions", "LiveCloud.Tencent", "LiveCloud.Aliyun", "LiveCloud.Qiniu", "LiveCloud.Nginx"]);
        LibraryNames().Where(n => !File.Exists(Path.Combine(AppContext.BaseDirectory, n + ".dll")))
            .Should().BeEmpty("every library in src/ needs a ProjectReference in LiveCloud.Conformance.Tests.csproj, or its providers go unseen");
    }

    [Fact]
    public void Every_provider_in_src_runs_the_conformance_suite()
    {
        Uncovered(ProviderTypes(), ThisAssembly).Select(t => t.FullName).Should()
            .BeEmpty("every provider needs a fixture and a one-line subclass of StreamProviderConformanceTests<TProvider> in LiveCloud.Conformance.Tests");
    }

    [Fact]
    public void The_scan_sees_the_providers_and_the_conformance_subclasses()
    {
        // Guards the test above against passing because it found nothing to look at.
        ProviderTypes().Select(t => t.Name).Should().Contain(["TencentStreamProvider", "AliyunStreamProvider", "QiniuStreamProvider", "NginxStreamProvider"]);
        ThisAssembly.Select(ConformanceProviderOf).OfType<Type>().Should().HaveCountGreaterThanOrEqualTo(5);
    }

    [Fact]
    public void A_provider_without_a_subclass_is_reported()
    {
        Type[] providers = [typeof(SampleProvider), typeof(Nginx.NginxStreamProvider)];

        Uncovered(providers, [typeof(SampleConformance)]).Should().Equal(typeof(Nginx.NginxStreamProvider));
        Uncovered(providers, [typeof(SampleConformance), typeof(NginxConformance)]).Should().BeEmpty();
        Uncovered(providers, []).Should().Equal(providers);
    }
}
