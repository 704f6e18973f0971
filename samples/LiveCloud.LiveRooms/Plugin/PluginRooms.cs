using System.Reflection;
using LiveCloud.WeChat;

namespace LiveCloud.LiveRooms.Plugin;

/// <summary>
/// The WeChat side of plugin rooms: which provider is the WeChat mini-program (the first one configured with
/// <c>Type: WeChat</c>, normally <c>LiveCloud:WeChat</c>; none when no such section exists) and the three images a room is
/// created with (small defaults shipped with the sample, uploaded as temporary media on each create).
/// </summary>
public sealed class PluginRooms
{
    private readonly StreamProviders _providers;
    private readonly Lazy<IStreamProvider?> _provider;

    /// <summary>Finds the WeChat provider among <paramref name="providers"/>.</summary>
    public PluginRooms(StreamProviders providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers;
        _provider = new Lazy<IStreamProvider?>(() => providers.All.FirstOrDefault(IsWeChat));
    }

    /// <summary>The WeChat provider, or <see langword="null"/> when plugin rooms are off (no <c>LiveCloud:WeChat</c> section).</summary>
    public IStreamProvider? Provider => _provider.Value;

    /// <summary>Whether <paramref name="providerName"/> names a WeChat provider (whose rooms follow the status poller, not callbacks).</summary>
    public bool IsWeChatProvider(string providerName) =>
        _providers.Contains(providerName) && IsWeChat(_providers.Get(providerName));

    /// <summary>The rooms client of the provider a room belongs to.</summary>
    /// <exception cref="InvalidOperationException">The room's provider is not (or no longer) configured as WeChat.</exception>
    public WeChatApiClient ClientOf(string providerName) =>
        _providers.Contains(providerName) && _providers.Get(providerName).GetService<WeChatApiClient>() is { } client
            ? client
            : throw new InvalidOperationException($"The room belongs to the WeChat provider '{providerName}', which is not configured (LiveCloud:{providerName}).");

    /// <summary>The cover (1080×1920), share (800×640) and feeds (800×800) images a plugin room is created with.</summary>
    public static (WeChatImage Cover, WeChatImage Share, WeChatImage Feeds) DefaultImages() =>
        (Image("cover.png"), Image("share.png"), Image("feeds.png"));

    private static bool IsWeChat(IStreamProvider provider) => provider.GetService<WeChatStatusPoller>() is not null;

    private static WeChatImage Image(string name)
    {
        Assembly assembly = typeof(PluginRooms).Assembly;
        using Stream stream = assembly.GetManifestResourceStream("LiveCloud.LiveRooms.Plugin.Images." + name)
            ?? throw new InvalidOperationException($"The sample's default image {name} is not embedded.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return WeChatImage.FromBytes(bytes.ToArray(), name);
    }
}
