using System.Globalization;
using System.Net;

namespace LiveCloud.Dns;

/// <summary>How <see cref="CnameVerifier"/> asks DNS; bound from the <c>LiveCloud:Dns</c> configuration section.</summary>
public sealed class CnameVerifierOptions
{
    /// <summary>The configuration section name under <c>LiveCloud</c>: <c>Dns</c>.</summary>
    public const string SectionName = "Dns";

    /// <summary>
    /// The name servers to ask, each <c>ip</c>, <c>ip:port</c> or <c>[ipv6]:port</c> (port 53 when left out),
    /// e.g. <c>8.8.8.8</c> or <c>127.0.0.1:5353</c>. Empty (the default): the system's name servers.
    /// An <see cref="IPEndPoint"/> goes in as its <see cref="IPEndPoint.ToString"/>.
    /// </summary>
    public IList<string> NameServers { get; } = new List<string>();

    /// <summary>How long to wait for one answer before trying again. Default 3 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times a query that got no answer is tried again. Default 2.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The longest CNAME chain followed; a longer one is <see cref="CnameVerdict.Unresolvable"/>. Default 10.</summary>
    public int MaxChainDepth { get; set; } = 10;

    /// <summary>How many domains <see cref="ICnameVerifier.VerifyManyAsync"/> checks at once. Default 16.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Whether answers are cached for their records' TTL (DnsClient's response cache). Default <see langword="true"/>.</summary>
    public bool UseCache { get; set; } = true;

    /// <summary>The configured name servers as end points (port 53 where none is given).</summary>
    /// <exception cref="LiveCloudConfigurationException">An entry is not an IP address with an optional port; the message names it.</exception>
    public IReadOnlyList<IPEndPoint> GetNameServerEndPoints()
    {
        var endPoints = new List<IPEndPoint>(NameServers.Count);
        for (int i = 0; i < NameServers.Count; i++)
        {
            endPoints.Add(ParseNameServer(NameServers[i]) ?? throw new LiveCloudConfigurationException(BadNameServer(NameServers[i], i)));
        }

        return endPoints;
    }

    /// <summary>Every problem with these options, each message naming its key under <c>LiveCloud:Dns</c>; empty when they are fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string Path = LiveCloudOptions.SectionName + ":" + SectionName;
        var failures = new List<string>();
        for (int i = 0; i < NameServers.Count; i++)
        {
            if (ParseNameServer(NameServers[i]) is null)
            {
                failures.Add(BadNameServer(NameServers[i], i));
            }
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Path}:Timeout is {Timeout}; give a time above zero and at most 5 minutes, e.g. 00:00:03."));
        }

        if (Retries is < 0 or > 10)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Path}:Retries is {Retries}; give 0 to 10."));
        }

        if (MaxChainDepth is < 1 or > 64)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Path}:MaxChainDepth is {MaxChainDepth}; give 1 to 64."));
        }

        if (MaxConcurrency is < 1 or > 1024)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Path}:MaxConcurrency is {MaxConcurrency}; give 1 to 1024."));
        }

        return failures;
    }

    private static IPEndPoint? ParseNameServer(string? value)
    {
        // The "any" address (0.0.0.0, ::) names no server; DnsClient refuses it when the verifier is built.
        if (string.IsNullOrWhiteSpace(value) || !IPEndPoint.TryParse(value.Trim(), out IPEndPoint? endPoint)
            || endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            return null;
        }

        return endPoint.Port == 0 ? new IPEndPoint(endPoint.Address, 53) : endPoint;
    }

    private static string BadNameServer(string? value, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{LiveCloudOptions.SectionName}:{SectionName}:NameServers:{index} is '{value}'; give a name server's IP address (not 0.0.0.0 or ::) with an optional port, e.g. 8.8.8.8 or 127.0.0.1:5353.");
}
