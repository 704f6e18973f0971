using System.Security.Cryptography;
using System.Text;
using LiveCloud.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveCloud.Testing.Fakes;

/// <summary>Options of <see cref="SampleProvider"/>.</summary>
public sealed class SampleOptions : VendorOptions
{
    public string? Host { get; set; }

    public string? Key { get; set; }

    protected override void Validate(OptionChecks check)
    {
        check.Required(Host, nameof(Host));
        check.Required(Key, nameof(Key));
    }
}

/// <summary>
/// The smallest provider: signs URLs with an HMAC and does nothing else. It exercises what the base class
/// promises every provider (argument checks, capability checks, DI) without any vendor.
/// </summary>
public sealed class SampleProvider(string name, SampleOptions options, TimeProvider? time = null) : StreamProviderBase(name, time)
{
    private static readonly ProviderCapabilities Caps = new(
        ProviderFeatures.PushUrls | ProviderFeatures.PlayUrls,
        [StreamProtocol.Rtmp],
        [StreamProtocol.Rtmp, StreamProtocol.Hls]);

    public SampleOptions Options { get; } = options;

    public override ProviderCapabilities Capabilities => Caps;

    protected override PushUrl CreatePushUrlCore(StreamId stream, DateTimeOffset expiresAt, StreamProtocol protocol) =>
        new(protocol, Url("rtmp", stream.Name, stream, expiresAt), expiresAt);

    protected override PlayUrlSet CreatePlayUrlsCore(StreamId stream, DateTimeOffset expiresAt, IReadOnlyList<StreamProtocol> protocols, string? rendition)
    {
        string name = rendition is null ? stream.Name : stream.Name + "_" + rendition;
        return new PlayUrlSet(stream, expiresAt, [.. protocols.Select(p => new PlayUrl(p, p == StreamProtocol.Hls ? Url("http", name + ".m3u8", stream, expiresAt) : Url("rtmp", name, stream, expiresAt)))]);
    }

    private string Url(string scheme, string file, StreamId stream, DateTimeOffset expiresAt)
    {
        long e = expiresAt.ToUnixTimeSeconds();
        string path = $"/{stream.App}/{file}";
        string sig = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.Key!), Encoding.UTF8.GetBytes($"{path}?e={e}")));
        return $"{scheme}://{Options.Host}{path}?e={e}&sig={sig}";
    }
}

/// <summary>Registers <see cref="SampleProvider"/> with the LiveCloud builder, validating its options.</summary>
public static class SampleProviderBuilderExtensions
{
    public static LiveCloudBuilder AddSample(this LiveCloudBuilder builder, string name = "Sample", Action<SampleOptions>? configure = null) =>
        builder.AddProvider(name, static context => new SampleProvider(context.Name, context.Options, context.TimeProvider), configure);
}
