using System.Net;
using Microsoft.Extensions.Options;

namespace LiveCloud.AspNetCore;

/// <summary>
/// Settings of <c>MapLiveCloudCallbacks</c> (configuration section <see cref="SectionName"/>, bound by the application:
/// <c>services.Configure&lt;LiveCloudCallbackOptions&gt;(config.GetSection(LiveCloudCallbackOptions.SectionName))</c>),
/// read once <c>AddLiveCloudCallbacks()</c> is registered.
/// </summary>
public sealed class LiveCloudCallbackOptions
{
    /// <summary>The configuration section, <c>LiveCloud:Callbacks</c>.</summary>
    public const string SectionName = "LiveCloud:Callbacks";

    /// <summary>
    /// The source addresses each provider's callbacks may come from, by provider name (any letter case): single
    /// addresses (<c>203.0.113.7</c>) or CIDR ranges (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>). A callback from any
    /// other address is refused with 403 before its body is read. A provider not listed accepts any source. Tencent's
    /// and Aliyun's signatures do not cover the body, so a captured callback can be replayed with other fields until it
    /// expires: list the vendor's callback addresses (as it publishes them or its support confirms) and, for nginx, the
    /// nginx host. Behind a reverse proxy the source is the proxy unless the app applies forwarded headers
    /// (<c>UseForwardedHeaders</c> with the proxy as a known proxy).
    /// </summary>
    public Dictionary<string, List<string>> AllowedSources { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The parsed <see cref="LiveCloudCallbackOptions.AllowedSources"/>.</summary>
internal sealed class CallbackSourceFilter
{
    private readonly Dictionary<string, IPNetwork[]> _allowed;

    public CallbackSourceFilter(IOptions<LiveCloudCallbackOptions> options)
    {
        _allowed = new(StringComparer.OrdinalIgnoreCase);
        foreach ((string provider, List<string> sources) in options.Value.AllowedSources)
        {
            _allowed[provider] = [.. sources.Select(s => TryParse(s, out IPNetwork network) ? network : throw new InvalidOperationException(Invalid(provider, s)))];
        }
    }

    /// <summary>Whether a callback for <paramref name="provider"/> may come from <paramref name="address"/>.</summary>
    public bool Allows(string provider, IPAddress? address)
    {
        if (!_allowed.TryGetValue(provider, out IPNetwork[]? networks))
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        IPAddress source = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(source));
    }

    /// <summary>Checks every entry at start-up; one message per bad entry, naming its key and value.</summary>
    public static IEnumerable<string> Failures(LiveCloudCallbackOptions options) =>
        options.AllowedSources.SelectMany(p => p.Value.Where(s => !TryParse(s, out _)).Select(s => Invalid(p.Key, s)));

    private static string Invalid(string provider, string source) =>
        $"{LiveCloudCallbackOptions.SectionName}:AllowedSources:{provider} holds '{source}', which is neither an IP address nor a CIDR range such as 203.0.113.0/24.";

    private static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (IPAddress.TryParse(text, out IPAddress? single) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }
}
