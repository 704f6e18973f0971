using System.Text.RegularExpressions;

namespace LiveCloud.Tests;

/// <summary>
/// Keeps the adapter template true: every vendor package (a <c>src/LiveCloud.*</c> folder with a stream provider) has
/// the same parts under the same names, built on the shared plumbing, and nothing shipped points outside the repository.
/// </summary>
public sealed partial class AdapterTemplateTests
{
    private static readonly string Root = FindRoot();
    private static readonly string[] ShippedFolders = ["src", "docs", "samples"];

    public static TheoryData<string> VendorPackages() => [.. Vendors()];

    private static IEnumerable<string> Vendors() =>
        Directory.GetDirectories(Path.Combine(Root, "src"), "LiveCloud.*")
            .Select(Path.GetFileName)
            .Where(name => name!.StartsWith("LiveCloud.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => name!["LiveCloud.".Length..])
            .Where(vendor => File.Exists(Path.Combine(Root, "src", "LiveCloud." + vendor, $"{vendor}StreamProvider.cs")));

    [Fact]
    public void Every_adapter_package_is_found()
    {
        // A package whose provider file is misnamed would silently escape the template check.
        string[] providers = [.. Directory.GetFiles(Path.Combine(Root, "src"), "*StreamProvider.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Where(n => n is not ("IStreamProvider.cs" or "DelegatingStreamProvider.cs" or "InstrumentedStreamProvider.cs" or "LoggingStreamProvider.cs" or "OpenTelemetryStreamProvider.cs" or "MultiCloudStreamProvider.cs"))!];
        Vendors().Select(vendor => $"{vendor}StreamProvider.cs").Should().BeEquivalentTo(providers);
        Vendors().Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(VendorPackages))]
    public void An_adapter_has_the_template_parts_on_the_shared_plumbing(string vendor)
    {
        string dir = Path.Combine(Root, "src", "LiveCloud." + vendor);
        string Part(string suffix)
        {
            string path = Path.Combine(dir, vendor + suffix + ".cs");
            File.Exists(path).Should().BeTrue($"every adapter has {vendor}{suffix}.cs (see CONTRIBUTING.md)");
            return File.ReadAllText(path);
        }

        Part("Options").Should().Contain($"public sealed class {vendor}Options : VendorOptions").And.Contain("public const string ProviderName")
            .And.Contain("protected override void Validate(OptionChecks check)");
        Part("ApiClient").Should().Contain($"public class {vendor}ApiClient : VendorApiClient").And.Contain("protected override VendorError? ReadError(");
        Part("CallbackVerifier").Should().Contain($"public sealed class {vendor}CallbackVerifier");
        Part("Errors").Should().Contain($"internal static class {vendor}Errors");
        Part("LiveCloudBuilderExtensions").Should().Contain($"public static class {vendor}LiveCloudBuilderExtensions").And.Contain(".AddProvider(");

        string provider = Part("StreamProvider");
        provider.Should().Contain($"public sealed class {vendor}StreamProvider : StreamProviderBase");
        // Offline URL signing is a part only of vendors whose URLs can be signed offline (WeChat mints its push addresses
        // online and has no play URLs): a provider claiming neither push nor play URLs has no signer to hold.
        if (provider.Contains("ProviderFeatures.PushUrls", StringComparison.Ordinal) || provider.Contains("ProviderFeatures.PlayUrls", StringComparison.Ordinal))
        {
            Part("UrlSigner").Should().Contain($"class {vendor}UrlSigner");
        }
        else
        {
            File.Exists(Path.Combine(dir, vendor + "UrlSigner.cs")).Should().BeFalse($"{vendor}StreamProvider claims no URLs, so a {vendor}UrlSigner would sign what the provider cannot hand out");
        }
        foreach (string plumbing in new[] { "JsonDocument", "HttpClient", "HttpRequestMessage", "FixedTimeEquals", "failures.Add(" })
        {
            provider.Should().NotContain(plumbing, $"the provider maps the contract onto the parts; {plumbing} belongs in a part or the shared plumbing");
        }
    }

    [Theory]
    [MemberData(nameof(VendorPackages))]
    public void An_adapter_writes_no_private_copy_of_the_shared_plumbing(string vendor)
    {
        foreach (string file in SourceFiles(Path.Combine(Root, "src", "LiveCloud." + vendor)))
        {
            string text = File.ReadAllText(file);
            string name = Path.GetFileName(file);
            PrivateJsonReader().IsMatch(text).Should().BeFalse($"{name} reads JSON fields with its own helper; use LiveCloud.Json.JsonFields");
            text.Should().NotContain("\"(not set)\"", $"{name} masks secrets by hand; use Secret.Mask");
            text.Should().NotContain("VendorError.KindOf(response.StatusCode)", $"{name} classifies raw responses; do it in ReadError");
        }
    }

    [Fact]
    public void Nothing_shipped_points_outside_the_repository()
    {
        var outside = OutsideReference();
        string[] offenders = [.. ShippedFolders
            .Select(d => Path.Combine(Root, d))
            .Where(Directory.Exists)
            .SelectMany(SourceAndDataFiles)
            .Where(f => outside.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Root, f))];
        offenders.Should().BeEmpty("code, docs and shipped files cite vendor sources or docs/vendors, never a path outside the repository");
    }

    private static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Where(NotBuildOutput);

    private static IEnumerable<string> SourceAndDataFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(NotBuildOutput)
            .Where(f => Path.GetExtension(f) is ".cs" or ".json" or ".md" or ".csproj" or ".js" or ".html" or ".sh" or ".props");

    private static bool NotBuildOutput(string path) =>
        !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No LiveCloud.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"private static (string|long|int|double)\?? (Str|Text|Long|Int|Dbl)\(JsonElement")]
    private static partial Regex PrivateJsonReader();

    [GeneratedRegex(@"\.\./shared|/work/shared|shared/vendors/|\b(tencent|aliyun|qiniu|tencent-im|nginx-rtmp|volcengine|huawei|wechat-live)\.md\s*§")]
    private static partial Regex OutsideReference();
}
