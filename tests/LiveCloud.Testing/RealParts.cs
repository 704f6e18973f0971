namespace LiveCloud.Testing;

/// <summary>
/// The real programs some tests drive: nginx with the RTMP module, ffmpeg, ffprobe, dnsmasq, Chromium, Node.js.
/// Test classes that need them carry <c>[Trait("Category", "RealParts")]</c> (<c>scripts/test.sh --fast</c> leaves them
/// out). When one is missing, such a test is reported <em>skipped</em> with the reason — never passed — on a
/// developer's machine, and <em>fails</em> under CI (<c>CI=true</c>), where scripts/prereqs.sh has installed them.
/// </summary>
public static class RealParts
{
    /// <summary>The trait value of test classes that need a real program.</summary>
    public const string Category = "RealParts";

    /// <summary>nginx with the RTMP module (Debian's nginx-light + libnginx-mod-rtmp).</summary>
    public const string Nginx = "nginx";

    /// <summary>ffmpeg, the test pushes.</summary>
    public const string Ffmpeg = "ffmpeg";

    /// <summary>ffprobe, the test plays.</summary>
    public const string Ffprobe = "ffprobe";

    /// <summary>dnsmasq, the real DNS server of the CNAME checks.</summary>
    public const string Dnsmasq = "dnsmasq";

    /// <summary>Chromium at <c>/usr/bin/chromium</c>, driven by Playwright.</summary>
    public const string Chromium = "chromium";

    /// <summary>Node.js.</summary>
    public const string Node = "node";

    /// <summary>Where the tests expect Chromium (Debian's package).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Where the tests expect the nginx RTMP module (Debian's package).</summary>
    public const string RtmpModulePath = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    /// <summary>Whether this run is CI (<c>CI=true</c>), where a missing program is a failure, not a skip.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="tool"/> (one of the names above) is installed.</summary>
    public static bool IsInstalled(string tool) => tool switch
    {
        Nginx => ToolProcess.Find("nginx") is not null && File.Exists(RtmpModulePath),
        Chromium => File.Exists(ChromiumPath),
        _ => ToolProcess.Find(tool) is not null,
    };

    /// <summary>Why the tests cannot run here (<c>"nginx is not installed; run scripts/prereqs.sh"</c>), or <see langword="null"/> when every tool is installed.</summary>
    public static string? MissingReason(params string[] tools) => MissingReason(tools, IsInstalled);

    /// <summary>The reason for a given view of what is installed.</summary>
    public static string? MissingReason(IEnumerable<string> tools, Func<string, bool> isInstalled)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(isInstalled);
        List<string> missing = [.. tools.Where(t => !isInstalled(t))];
        return missing.Count switch
        {
            0 => null,
            1 => $"{missing[0]} is not installed; run scripts/prereqs.sh",
            _ => $"{string.Join(", ", missing[..^1])} and {missing[^1]} are not installed; run scripts/prereqs.sh",
        };
    }

    /// <summary>
    /// For a test (a <c>[SkippableFact]</c>, from its body, constructor or <c>InitializeAsync</c>): returns when the tools
    /// are installed; otherwise skips the test with the reason, or under CI fails it.
    /// </summary>
    public static void Require(params string[] tools) => Require(MissingReason(tools), UnderCi);

    /// <summary>What <see cref="Require(string[])"/> does for a given reason and CI flag.</summary>
    public static void Require(string? missingReason, bool underCi)
    {
        if (missingReason is null)
        {
            return;
        }

        if (underCi)
        {
            throw new InvalidOperationException($"{missingReason}. CI=true: a test that needs a real program fails when it is missing instead of skipping.");
        }

        throw new SkipException(missingReason);
    }

    /// <summary>
    /// For a fixture shared by such tests: <see langword="true"/> when it can start its real parts; <see langword="false"/>
    /// when a tool is missing and the tests will skip (each test calls <see cref="Require(string[])"/>); under CI a
    /// missing tool throws, so the whole class fails loudly.
    /// </summary>
    public static bool CanStart(params string[] tools)
    {
        string? reason = MissingReason(tools);
        if (reason is not null && UnderCi)
        {
            Require(reason, underCi: true);
        }

        return reason is null;
    }
}
