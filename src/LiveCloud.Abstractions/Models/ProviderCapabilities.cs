namespace LiveCloud;

/// <summary>The groups of <see cref="IStreamProvider"/> a provider implements.</summary>
[Flags]
public enum ProviderFeatures
{
    /// <summary>Nothing beyond the name.</summary>
    None = 0,

    /// <summary>Signed push URLs.</summary>
    PushUrls = 1 << 0,

    /// <summary>Signed play URLs.</summary>
    PlayUrls = 1 << 1,

    /// <summary>Listing domains and checking their CNAME.</summary>
    Domains = 1 << 2,

    /// <summary>Starting, stopping and listing recordings.</summary>
    Recording = 1 << 3,

    /// <summary>Online list and state of streams.</summary>
    StreamState = 1 << 4,

    /// <summary>Forbid, resume and drop.</summary>
    StreamControl = 1 << 5,

    /// <summary>Verifying and parsing callbacks into <see cref="StreamEvent"/>s.</summary>
    Callbacks = 1 << 6,

    /// <summary>Cost estimates from a price table.</summary>
    CostEstimate = 1 << 7,

    /// <summary>Relaying a stream of this provider out to another platform (<see cref="RelayDirection.Push"/>).</summary>
    PushRelay = 1 << 8,

    /// <summary>Pulling an outside stream or file into a stream of this provider (<see cref="RelayDirection.Pull"/>).</summary>
    PullRelay = 1 << 9,
}

/// <summary>What a provider supports: feature groups and the protocols it signs.</summary>
/// <param name="Features">The groups of calls implemented; a call outside them throws <see cref="NotSupportedException"/>.</param>
/// <param name="PushProtocols">The protocols <see cref="IStreamProvider.CreatePushUrl"/> accepts.</param>
/// <param name="PlayProtocols">The protocols <see cref="IStreamProvider.CreatePlayUrls"/> can return.</param>
public sealed record ProviderCapabilities(ProviderFeatures Features, IReadOnlyList<StreamProtocol> PushProtocols, IReadOnlyList<StreamProtocol> PlayProtocols)
{
    /// <summary>Whether every flag of <paramref name="features"/> is supported.</summary>
    public bool Supports(ProviderFeatures features) => (Features & features) == features;

    /// <summary>Whether <paramref name="protocol"/> can be pushed.</summary>
    public bool CanPush(StreamProtocol protocol) => PushProtocols.Contains(protocol);

    /// <summary>Whether <paramref name="protocol"/> can be played.</summary>
    public bool CanPlay(StreamProtocol protocol) => PlayProtocols.Contains(protocol);
}
