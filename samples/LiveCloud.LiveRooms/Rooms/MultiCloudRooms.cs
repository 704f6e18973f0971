using LiveCloud.LiveRooms.Data;
using LiveCloud.MultiCloud;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Rooms;

/// <summary>
/// What the rooms need to know of multi-cloud providers (sections with <c>"Type": "MultiCloud"</c>): a room is stored
/// under the composite (<c>Show</c>), while its members' callbacks arrive under their own names (<c>NginxA</c>,
/// <c>NginxB</c>); and a room's state (<c>live</c> or <c>reconnecting</c>) follows the composite's session ledger. In
/// single-provider mode it follows the stored publish and unpublish times and <see cref="LiveRoomsOptions.ReconnectWindow"/>.
/// </summary>
public sealed class MultiCloudRooms
{
    /// <summary>The state a live room reads while its host is gone within the reconnect window.</summary>
    public const string Reconnecting = "reconnecting";

    private readonly StreamProviders _providers;
    private readonly Dictionary<string, string> _compositeOfMember = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _composites = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the multi-cloud sections of <c>LiveCloud</c>.</summary>
    public MultiCloudRooms(IConfiguration configuration, StreamProviders providers, IOptions<LiveRoomsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        _providers = providers;
        IConfigurationSection liveCloud = configuration.GetSection(LiveCloudOptions.SectionName);
        foreach (IConfigurationSection section in liveCloud.GetChildren())
        {
            if (!string.Equals(section["Type"], MultiCloudOptions.TypeName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            _composites.Add(section.Key);
            IEnumerable<string?> members = [section["Primary"], .. section.GetSection("Backups").GetChildren().Select(c => c.Value)];
            foreach (string member in members.OfType<string>().Where(m => m.Length > 0))
            {
                _compositeOfMember.TryAdd(member, section.Key);
            }
        }

        string? selected = liveCloud["Provider"];
        ReconnectWindow = selected is not null && _composites.Contains(selected)
            ? liveCloud.GetSection(selected).GetValue<TimeSpan?>("ReconnectWindow") ?? new MultiCloudOptions().ReconnectWindow
            : options.Value.ReconnectWindow;
    }

    /// <summary>The reconnect window of the app's rooms: the selected multi-cloud provider's, else <see cref="LiveRoomsOptions.ReconnectWindow"/>.</summary>
    public TimeSpan ReconnectWindow { get; }

    // Set when a room turned reconnecting (and at start): the window's sweep reads the store only then.
    private int _hostsLost = 1;

    /// <summary>Notes that a room's host is gone within the window, so the window's end is swept for.</summary>
    public void HostLost() => Volatile.Write(ref _hostsLost, 1);

    /// <summary>Whether a room may be waiting for its window to end (and forgets it: the sweep notes it again while one is).</summary>
    public bool TakeHostsLost() => Interlocked.Exchange(ref _hostsLost, 0) == 1;

    /// <summary>The names of the configured multi-cloud providers.</summary>
    public IReadOnlyCollection<string> Composites => _composites;

    /// <summary>The configured providers that are members of a multi-cloud provider.</summary>
    public IReadOnlyCollection<string> Members => _compositeOfMember.Keys;

    /// <summary>The provider a room of an event of <paramref name="provider"/> is stored under: its multi-cloud provider, for a member.</summary>
    public string RoomProvider(string provider) =>
        _compositeOfMember.TryGetValue(provider, out string? composite) ? composite : provider;

    /// <summary>The multi-cloud provider named <paramref name="provider"/>, or <see langword="null"/> when it is a single provider.</summary>
    public MultiCloudStreamProvider? Of(string provider) =>
        _composites.Contains(provider) && _providers.Contains(provider) ? _providers.Get(provider).GetService<MultiCloudStreamProvider>() : null;

    /// <summary>The show of a multi-cloud room's stream, or <see langword="null"/>.</summary>
    public ShowSession? ShowOf(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return Of(room.Provider)?.Ledger.Find(room.Stream);
    }

    /// <summary>
    /// The room's state as watchers see it: <c>reconnecting</c> for a live room whose host is gone (the ledger's show is
    /// reconnecting; or, without a ledger, its last unpublish is newer than its last publish), else the stored state.
    /// </summary>
    public string StateOf(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (room.State != RoomStates.Live)
        {
            return room.State;
        }

        if (ShowOf(room) is { IsOpen: true } show)
        {
            return show.State == ShowState.Reconnecting ? Reconnecting : RoomStates.Live;
        }

        return room.HostLostAt is null ? RoomStates.Live : Reconnecting;
    }
}
