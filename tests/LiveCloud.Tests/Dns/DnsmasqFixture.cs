using System.Net;
using LiveCloud.Testing;

namespace LiveCloud.Dns.Tests;

/// <summary>
/// A real dnsmasq on 127.0.0.1 at a free port (UDP and TCP), answering only from the records below
/// (<c>--no-resolv --no-hosts</c>, and <c>local=/test/</c> so unknown <c>*.test</c> names get NXDOMAIN
/// rather than REFUSED for want of an upstream). When dnsmasq is not installed it starts nothing and the tests
/// skip (see <see cref="RealParts"/>); under CI it fails.
/// </summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    /// <summary>Batch names <c>b000.test</c> … <c>b199.test</c>; all CNAME to target.test except these.</summary>
    public const int BatchSize = 200;

    /// <summary>Batch entries that point elsewhere (Mismatch).</summary>
    public static readonly int[] BatchMismatches = [13, 77];

    /// <summary>Batch entries that are not configured at all (NXDOMAIN).</summary>
    public static readonly int[] BatchMissingNames = [42, 199];

    /// <summary>What the fixture runs.</summary>
    public static readonly string[] Tools = [RealParts.Dnsmasq];

    private DnsmasqServer? _server;

    /// <summary>Where dnsmasq listens.</summary>
    public IPEndPoint EndPoint => _server!.EndPoint;

    /// <summary>The name server as <c>ip:port</c>, for <see cref="CnameVerifierOptions.NameServers"/>.</summary>
    public string NameServer => _server!.NameServer;

    public static string BatchName(int i) => $"b{i:000}.test";

    public async Task InitializeAsync()
    {
        if (RealParts.CanStart(Tools))
        {
            _server = await DnsmasqServer.StartAsync(ConfigLines());
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static IEnumerable<string> ConfigLines()
    {
        yield return "local=/test/";
        yield return "host-record=target.test,127.0.0.2";
        yield return "cname=direct.test,target.test";
        yield return "cname=alias.test,mid.test";
        yield return "cname=mid.test,target.test";
        yield return "host-record=elsewhere.test,127.0.0.3";
        yield return "cname=wrong.test,elsewhere.test";
        yield return "host-record=plain.test,127.0.0.4";
        for (int i = 0; i < BatchSize; i++)
        {
            if (BatchMissingNames.Contains(i))
            {
                continue;
            }

            yield return $"cname={BatchName(i)},{(BatchMismatches.Contains(i) ? "elsewhere.test" : "target.test")}";
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DnsmasqTests : ICollectionFixture<DnsmasqFixture>
{
    public const string Name = "dnsmasq";
}
