using System.Globalization;
using System.Net;
using LiveCloud.Configuration;
using LiveCloud.Http;

namespace LiveCloud.Nginx;

/// <summary>
/// Settings of the self-hosted nginx-rtmp provider (configuration section <c>LiveCloud:Nginx</c>).
/// <see cref="ToString"/> never shows <see cref="SigningKey"/>.
/// </summary>
public sealed class NginxOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>Nginx</c>.</summary>
    public const string ProviderName = "Nginx";

    /// <summary>The shortest <see cref="SigningKey"/> accepted.</summary>
    public const int MinSigningKeyLength = 16;

    /// <summary>The port nginx-rtmp accepts RTMP pushes and plays on (default 1935).</summary>
    public int RtmpPort { get; set; } = 1935;

    /// <summary>The port of nginx's HTTP server: HLS, recordings, <c>/stat</c> and <c>/control</c> (default 8080).</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>
    /// The address nginx's HTTP server listens on (default <c>127.0.0.1</c>). <c>/stat</c> and
    /// <c>/control</c> answer loopback clients only, whatever this is.
    /// </summary>
    public string HttpListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The host put in the URLs handed to broadcasters and players (default <c>127.0.0.1</c>).</summary>
    public string PublicHost { get; set; } = "127.0.0.1";

    /// <summary>The nginx-rtmp <c>application</c> name: the only <see cref="StreamId.App"/> this provider serves (default <c>live</c>).</summary>
    public string AppName { get; set; } = "live";

    /// <summary>
    /// The folder that holds <c>nginx.conf</c>, logs, the pid file and nginx's temp folders
    /// (default <c>livecloud-nginx</c> under the system temp folder).
    /// </summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "livecloud-nginx");

    /// <summary>Where HLS playlists and segments are written; <c>{WorkDirectory}/hls</c> when not set.</summary>
    public string? HlsDirectory { get; set; }

    /// <summary>Where recordings are written; <c>{WorkDirectory}/recordings</c> when not set.</summary>
    public string? RecordingsDirectory { get; set; }

    /// <summary>
    /// The host app's callback endpoint (absolute http URL) that nginx-rtmp's <c>on_publish</c>,
    /// <c>on_play</c>, <c>on_publish_done</c> and <c>on_record_done</c> POST to. Required: without it
    /// nobody checks push signatures. The endpoint passes the request (form body and query) to
    /// <see cref="IStreamProvider.ParseCallbackAsync"/> and answers 2xx to allow, 403 to refuse (400 for a malformed hook).
    /// </summary>
    public string? HookBaseUrl { get; set; }

    /// <summary>The secret push and play URLs are signed with (at least 16 characters). Never logged or shown.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The nginx executable: a path or a name looked up on <c>PATH</c> (default <c>nginx</c>).</summary>
    public string NginxPath { get; set; } = "nginx";

    /// <summary>The nginx-rtmp dynamic module (default <c>/usr/lib/nginx/modules/ngx_rtmp_module.so</c>, from <c>libnginx-mod-rtmp</c>).</summary>
    public string ModulePath { get; set; } = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    /// <summary>The ffprobe executable used to read recordings' durations (default <c>ffprobe</c>); durations fall back to file times without it.</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>The ffmpeg executable relays run, one per relay (default <c>ffmpeg</c>): a path or a name looked up on <c>PATH</c>.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Whether relays may reach loopback, private (RFC 1918, unique-local), link-local and CGNAT addresses (default
    /// <see langword="false"/>: a relay makes this server connect where the caller says, so an internal address is
    /// refused unless this is set, e.g. for a second server on the same network).
    /// </summary>
    public bool AllowPrivateRelayTargets { get; set; }

    /// <summary>
    /// How long a relay's media may stand still before its ffmpeg is started again (default 20 s): a target or source
    /// that hangs without closing the connection.
    /// </summary>
    public TimeSpan RelayStallTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a relay keeps trying without media moving before it gives up as <see cref="RelayStatus.Failed"/>
    /// (default 10 minutes). Between tries it waits <see cref="RestartDelay"/>, doubling up to <see cref="MaxRestartDelay"/>.
    /// </summary>
    public TimeSpan RelayGiveUpAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long <see cref="NginxRtmpServer.StartAsync"/> waits for both ports to answer (default 15 s).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a graceful stop may take before nginx is killed (default 5 s).</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long <see cref="NginxRtmpServer"/> waits before starting nginx again after its master died (default 1 s). The
    /// wait doubles with each restart that follows a short run, up to <see cref="MaxRestartDelay"/>, and starts again from
    /// this once nginx has run for <see cref="MaxRestartDelay"/>. A relay's ffmpeg is started again the same way, the wait
    /// starting again from this once media moved.
    /// </summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts of a crashing nginx, or tries of a failing relay (default 30 s).</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="NginxRtmpServer"/> looks for a respawned worker (default 2 s; Linux only).</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one call to nginx's <c>/stat</c> or <c>/control</c> may take (default 10 s): another name for
    /// <see cref="VendorResilienceOptions.AttemptTimeout"/> of <see cref="VendorOptions.Resilience"/>, kept for
    /// configurations that set <c>LiveCloud:Nginx:RequestTimeout</c>. Reading or setting one reads or sets the other;
    /// when configuration sets both, <c>LiveCloud:Nginx:Resilience:AttemptTimeout</c> wins. Like every attempt
    /// timeout it must not exceed <c>Resilience:TotalTimeout</c> (30 s by default).
    /// </summary>
    public TimeSpan RequestTimeout
    {
        get => Resilience.AttemptTimeout;
        set => Resilience.AttemptTimeout = value;
    }

    /// <summary>Public host names pointing at this server, for the domain calls; may be empty.</summary>
    public IList<NginxDomainOptions> Domains { get; } = [];

    /// <summary>The self-hosting price model <see cref="IStreamProvider.EstimateCost"/> uses.</summary>
    public NginxPricingOptions Pricing { get; set; } = new();

    /// <summary>The HLS folder actually used.</summary>
    public string ResolvedHlsDirectory => HlsDirectory is { Length: > 0 } hls ? hls : Path.Combine(WorkDirectory, "hls");

    /// <summary>The recordings folder actually used.</summary>
    public string ResolvedRecordingsDirectory => RecordingsDirectory is { Length: > 0 } rec ? rec : Path.Combine(WorkDirectory, "recordings");

    /// <summary>
    /// Where LiveCloud calls nginx's <c>/stat</c> and <c>/control</c>: <c>http://{HttpListenAddress}:{HttpPort}/</c>,
    /// on loopback when nginx listens on every address (<c>0.0.0.0</c> or <c>::</c>). The base address of the
    /// provider's <see cref="VendorHttpPipeline"/>. Read it once the options validate.
    /// </summary>
    public Uri HttpEndpoint
    {
        get
        {
            string host = HttpListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : HttpListenAddress;
            return new Uri($"http://{(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)}:{HttpPort.ToString(CultureInfo.InvariantCulture)}/");
        }
    }

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (string.IsNullOrEmpty(SigningKey) || SigningKey.Length < MinSigningKeyLength)
        {
            check.Fail(nameof(SigningKey), $"is required (at least {MinSigningKeyLength} characters).");
        }

        CheckPort(check, RtmpPort, nameof(RtmpPort));
        CheckPort(check, HttpPort, nameof(HttpPort));
        check.That(RtmpPort != HttpPort, nameof(HttpPort), $"must differ from {check.PathOf(nameof(RtmpPort))}; both are {RtmpPort}.");
        check.That(IsHostOrAddress(PublicHost), nameof(PublicHost), $"must be a host name or IP address (e.g. 127.0.0.1 or live.example.com); got '{PublicHost}'.");
        check.That(IPAddress.TryParse(HttpListenAddress, out _), nameof(HttpListenAddress), $"must be an IP address (e.g. 127.0.0.1 or 0.0.0.0); got '{HttpListenAddress}'.");
        check.That(StreamId.IsValidPart(AppName), nameof(AppName), $"must be 1–256 characters from A–Z a–z 0–9 _ - . = (not starting with '.'); got '{AppName}'.");

        if (string.IsNullOrWhiteSpace(HookBaseUrl))
        {
            check.Fail(nameof(HookBaseUrl), "is required: the absolute http URL of the host app's nginx-rtmp callback endpoint.");
        }
        else if (!Uri.TryCreate(HookBaseUrl, UriKind.Absolute, out Uri? hook) || hook.Scheme != Uri.UriSchemeHttp || !string.IsNullOrEmpty(hook.Fragment) || HasConfigUnsafe(HookBaseUrl))
        {
            // nginx-rtmp's hooks speak plain http only.
            check.Fail(nameof(HookBaseUrl), $"must be an absolute http:// URL without a fragment or quotes; got '{HookBaseUrl}'.");
        }

        CheckPath(check, WorkDirectory, nameof(WorkDirectory), required: true);
        CheckPath(check, HlsDirectory, nameof(HlsDirectory), required: false);
        CheckPath(check, RecordingsDirectory, nameof(RecordingsDirectory), required: false);
        CheckPath(check, ModulePath, nameof(ModulePath), required: true);
        check.That(!string.IsNullOrWhiteSpace(NginxPath), nameof(NginxPath), "is required (default 'nginx').");
        check.That(!string.IsNullOrWhiteSpace(FfmpegPath), nameof(FfmpegPath), "is required (default 'ffmpeg').");

        CheckPositive(check, StartTimeout, nameof(StartTimeout));
        CheckPositive(check, StopTimeout, nameof(StopTimeout));
        CheckPositive(check, RestartDelay, nameof(RestartDelay));
        CheckPositive(check, HealthCheckInterval, nameof(HealthCheckInterval));
        CheckPositive(check, RelayStallTimeout, nameof(RelayStallTimeout));
        CheckPositive(check, RelayGiveUpAfter, nameof(RelayGiveUpAfter));
        check.That(MaxRestartDelay >= RestartDelay, nameof(MaxRestartDelay), $"must be at least {check.PathOf(nameof(RestartDelay))} ({RestartDelay}); got {MaxRestartDelay}.");
        if (Resilience is not null)
        {
            CheckPositive(check, RequestTimeout, nameof(RequestTimeout));
        }

        for (int i = 0; i < Domains.Count; i++)
        {
            NginxDomainOptions domain = Domains[i];
            string dp = $"Domains:{i.ToString(CultureInfo.InvariantCulture)}";
            check.That(IsHostName(domain.Name), dp + ":Name", $"must be a host name such as live.example.com; got '{domain.Name}'.");
            if (domain.ExpectedCname is { } cname)
            {
                check.That(IsHostName(cname), dp + ":ExpectedCname", $"must be a host name; got '{cname}'.");
            }
        }

        if (Pricing is null)
        {
            check.Fail(nameof(Pricing), "is required.");
            return;
        }

        check.That(
            !string.IsNullOrEmpty(Pricing.Currency) && Pricing.Currency.Length == 3 && Pricing.Currency.All(char.IsAsciiLetterUpper),
            "Pricing:Currency",
            $"must be an ISO 4217 code such as CNY; got '{Pricing.Currency}'.");
        check.That(Pricing.ServerMonthlyCost >= 0, "Pricing:ServerMonthlyCost", $"must not be negative; got {Pricing.ServerMonthlyCost}.");
        check.That(Pricing.EgressPricePerGb >= 0, "Pricing:EgressPricePerGb", $"must not be negative; got {Pricing.EgressPricePerGb}.");
        check.That(Pricing.NicMbps > 0, "Pricing:NicMbps", $"must be a positive number; got {Pricing.NicMbps}.");
        check.That(!string.IsNullOrWhiteSpace(Pricing.Source), "Pricing:Source", "is required (where the numbers come from).");
    }

    /// <summary>Shows every setting except <see cref="SigningKey"/>, which only shows as set or not.</summary>
    public override string ToString() =>
        $"NginxOptions {{ RtmpPort = {RtmpPort}, HttpPort = {HttpPort}, PublicHost = {PublicHost}, AppName = {AppName}, WorkDirectory = {WorkDirectory}, HookBaseUrl = {HookBaseUrl}, SigningKey = {Secret.Mask(SigningKey)}, NginxPath = {NginxPath}, Domains = {Domains.Count} }}";

    // Characters that would break out of a quoted nginx.conf value.
    internal static bool HasConfigUnsafe(string value) =>
        value.Any(c => char.IsControl(c) || c is '"' or '\'' or '\\' or '$' or ';' or '{' or '}');

    private static void CheckPort(OptionChecks check, int port, string key) =>
        check.That(port is >= 1 and <= 65535, key, $"must be from 1 to 65535; got {port}.");

    private static void CheckPositive(OptionChecks check, TimeSpan value, string key) =>
        check.That(value > TimeSpan.Zero, key, $"must be positive; got {value}.");

    private static void CheckPath(OptionChecks check, string? value, string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            check.That(!required, key, "is required.");
            return;
        }

        check.That(
            !HasConfigUnsafe(value) && !value.Contains(' ', StringComparison.Ordinal),
            key,
            $"must be a path without spaces, quotes, '\\', '$', ';', '{{' or '}}' (it goes into nginx.conf); got '{value}'.");
    }

    private static bool IsHostOrAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value) && (IPAddress.TryParse(value, out _) || IsHostName(value));

    private static bool IsHostName(string? value)
    {
        try
        {
            HostName.Validate(value, "host");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>A public host name that points at the nginx server (configuration <c>LiveCloud:Nginx:Domains:N</c>).</summary>
public sealed class NginxDomainOptions
{
    /// <summary>The host name, e.g. <c>live.example.com</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Whether broadcasters push to it or players play from it (default play).</summary>
    public DomainKind Kind { get; set; } = DomainKind.Play;

    /// <summary>The CNAME target the host should point at, if it should be a CNAME; <see langword="null"/> for none.</summary>
    public string? ExpectedCname { get; set; }
}

/// <summary>
/// The self-hosting price model (configuration <c>LiveCloud:Nginx:Pricing</c>): a server's monthly cost
/// plus egress traffic. The defaults are placeholders; set your own hosting bill's numbers.
/// </summary>
public sealed class NginxPricingOptions
{
    /// <summary>ISO 4217 currency of the prices (default <c>CNY</c>).</summary>
    public string Currency { get; set; } = "CNY";

    /// <summary>What one server costs per month (default 300).</summary>
    public decimal ServerMonthlyCost { get; set; } = 300m;

    /// <summary>What one GB of egress traffic costs (default 0.8).</summary>
    public decimal EgressPricePerGb { get; set; } = 0.8m;

    /// <summary>One server's network interface in Mbit/s: peak egress decides how many servers are needed (default 100).</summary>
    public double NicMbps { get; set; } = 100;

    /// <summary>The date the numbers were taken (default 2026-11-01).</summary>
    public DateOnly AsOf { get; set; } = new(2026, 11, 1);

    /// <summary>Where the numbers come from (default: placeholders to be replaced by the operator's own bill).</summary>
    public string Source { get; set; } = "LiveCloud:Nginx:Pricing (placeholder self-hosting numbers; set your own)";
}
