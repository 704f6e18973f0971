using System.Globalization;
using LiveCloud.Configuration;

namespace LiveCloud.MultiCloud;

/// <summary>How a multi-cloud provider picks among healthy members that hold a stream.</summary>
public enum MultiCloudRouting
{
    /// <summary>The configured order: the primary, then the backups as listed.</summary>
    Priority,

    /// <summary>
    /// The member that delivers to the viewer's region (<see cref="PlayUrlOptions.Region"/>) most cheaply, by the cost
    /// engine's price of one GB delivered there; members whose price is not confirmed come last, in the configured order.
    /// </summary>
    Cost,
}

/// <summary>How a member that holds no live stream is checked.</summary>
public enum IdleProbe
{
    /// <summary>A TCP connection to the host and port of the member's RTMP push URL: where a host would push.</summary>
    Ingest,

    /// <summary>The vendor API's cheapest read: the first page of the member's online streams.</summary>
    Api,

    /// <summary>No active check of an idle member: only API outcomes and callbacks count.</summary>
    None,
}

/// <summary>
/// A multi-cloud provider's settings: a section with <c>"Type": "MultiCloud"</c> under <c>LiveCloud</c>, selected like any
/// provider (<c>LiveCloud:Provider</c>). The members are other configured providers, named by their sections.
/// </summary>
/// <remarks>
/// <code>
/// "Show": { "Type": "MultiCloud", "Primary": "NginxA", "Backups": [ "NginxB" ], "Routing": "Cost",
///           "Health": { "FailuresToMarkDown": 3, "SuccessesToMarkUp": 3, "ProbeInterval": "00:00:01" },
///           "ReconnectWindow": "00:00:30", "WarmBackup": false }
/// </code>
/// <see cref="VendorOptions.Resilience"/> is not used: each member's vendor calls keep their own.
/// </remarks>
public sealed class MultiCloudOptions : VendorOptions
{
    /// <summary>The type name of multi-cloud sections (<c>"Type": "MultiCloud"</c>).</summary>
    public const string TypeName = "MultiCloud";

    /// <summary>The member new shows go to while it is healthy: a configured provider's name.</summary>
    public string? Primary { get; set; }

    /// <summary>The members that take over, in order, when the primary is down; at least one.</summary>
    public IList<string> Backups { get; } = [];

    /// <summary>How viewers are routed among healthy members holding the stream (default <see cref="MultiCloudRouting.Priority"/>).</summary>
    public MultiCloudRouting Routing { get; set; } = MultiCloudRouting.Priority;

    /// <summary>How members' health is judged.</summary>
    public ProviderHealthOptions Health { get; set; } = new();

    /// <summary>
    /// How long a host may be gone (its push ended, or its member went down) and come back as the same show (default 30 s):
    /// within it the show is "reconnecting", after it "ended". Mux calls this the reconnect window.
    /// </summary>
    public TimeSpan ReconnectWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the member a show is on relays it to the next healthy member while it lasts, so that member already holds
    /// the stream (a push relay of the host's member, or else a pull relay of the other). Off by default: relays cost money.
    /// </summary>
    public bool WarmBackup { get; set; }

    /// <summary>How many streams the in-memory ledger keeps (default 10,000); the least recently active ended ones go first.</summary>
    public int MaxStreams { get; set; } = 10_000;

    /// <summary>The members in order: the primary, then the backups.</summary>
    public IReadOnlyList<string> Members => Primary is null ? [.. Backups] : [Primary, .. Backups];

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        string self = check.SectionPath[(check.SectionPath.LastIndexOf(':') + 1)..];
        if (string.IsNullOrWhiteSpace(Primary))
        {
            check.Fail(nameof(Primary), "is required: the name of the configured provider new shows go to.");
        }
        else if (string.Equals(Primary, self, StringComparison.OrdinalIgnoreCase))
        {
            check.Fail(nameof(Primary), $"'{Primary}' is this multi-cloud provider itself; name another configured provider.");
        }

        check.That(Backups.Count > 0, nameof(Backups), "needs at least one configured provider to fail over to.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(Primary))
        {
            seen.Add(Primary);
        }

        for (int i = 0; i < Backups.Count; i++)
        {
            string key = $"{nameof(Backups)}:{i.ToString(CultureInfo.InvariantCulture)}";
            string backup = Backups[i];
            if (string.IsNullOrWhiteSpace(backup))
            {
                check.Fail(key, "is empty; name a configured provider.");
            }
            else if (string.Equals(backup, self, StringComparison.OrdinalIgnoreCase))
            {
                check.Fail(key, $"'{backup}' is this multi-cloud provider itself; name another configured provider.");
            }
            else if (string.Equals(backup, Primary, StringComparison.OrdinalIgnoreCase))
            {
                check.Fail(key, $"'{backup}' is the primary too; a member is listed once.");
            }
            else if (!seen.Add(backup))
            {
                check.Fail(key, $"'{backup}' is listed twice; a member is listed once.");
            }
        }

        check.InRange(ReconnectWindow, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(ReconnectWindow));
        check.InRange(MaxStreams, 1, 1_000_000, nameof(MaxStreams));
        if (Health is null)
        {
            check.Fail(nameof(Health), "is required.");
        }
        else
        {
            Health.Validate(check);
        }
    }

    /// <summary>Shows the members and settings (a multi-cloud provider holds no secret of its own).</summary>
    public override string ToString() =>
        $"MultiCloudOptions {{ Primary = {Primary}, Backups = [{string.Join(", ", Backups)}], Routing = {Routing}, ReconnectWindow = {ReconnectWindow}, WarmBackup = {WarmBackup}, Health = {Health} }}";
}

/// <summary>How a multi-cloud provider judges its members' health (<c>LiveCloud:{Name}:Health</c>).</summary>
public sealed class ProviderHealthOptions
{
    /// <summary>Failed checks in a row that mark a healthy member down (1–100; default 3).</summary>
    public int FailuresToMarkDown { get; set; } = 3;

    /// <summary>Successful checks in a row that mark a down member up again (1–100; default 3).</summary>
    public int SuccessesToMarkUp { get; set; } = 3;

    /// <summary>The wait between two rounds of active checks (100 ms to 1 h; default 1 s).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one active check may take before it counts as failed (100 ms to 1 min; default 2 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How a member without a live stream is checked (default <see cref="MultiCloud.IdleProbe.Ingest"/>).</summary>
    public IdleProbe IdleProbe { get; set; } = IdleProbe.Ingest;

    /// <summary>
    /// How often each member's online streams are listed to catch callbacks that never came (default 10 s; zero turns
    /// polling off). Members without stream state are not polled.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The stream (<c>app/name</c>) whose push URL an <see cref="IdleProbe.Ingest"/> check connects to (default
    /// <c>live/livecloud-probe</c>): only the URL's host and port are used, nothing is pushed. Its app must be one every
    /// member serves (nginx-rtmp: its <c>AppName</c>).
    /// </summary>
    public string ProbeStream { get; set; } = "live/livecloud-probe";

    /// <summary>Adds a message per bad key (under <c>Health:</c>) to <paramref name="check"/>.</summary>
    /// <param name="check">Collects the failures; its section is the multi-cloud provider's.</param>
    public void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.InRange(FailuresToMarkDown, 1, 100, "Health:" + nameof(FailuresToMarkDown));
        check.InRange(SuccessesToMarkUp, 1, 100, "Health:" + nameof(SuccessesToMarkUp));
        check.InRange(ProbeInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "Health:" + nameof(ProbeInterval));
        check.InRange(ProbeTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "Health:" + nameof(ProbeTimeout));
        check.That(TryParseStream(ProbeStream, out _), "Health:" + nameof(ProbeStream), $"must be a stream id of the form app/name; got '{ProbeStream}'.");
        check.That(PollInterval == TimeSpan.Zero || (PollInterval >= TimeSpan.FromSeconds(1) && PollInterval <= TimeSpan.FromHours(1)), "Health:" + nameof(PollInterval), $"must be zero (no polling) or from 00:00:01 to 01:00:00; got {PollInterval}.");
    }

    internal static bool TryParseStream(string? value, out StreamId? stream)
    {
        stream = null;
        try
        {
            stream = StreamId.Parse(value ?? string.Empty);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{{ FailuresToMarkDown = {FailuresToMarkDown}, SuccessesToMarkUp = {SuccessesToMarkUp}, ProbeInterval = {ProbeInterval}, ProbeTimeout = {ProbeTimeout}, IdleProbe = {IdleProbe}, PollInterval = {PollInterval} }}";
}
