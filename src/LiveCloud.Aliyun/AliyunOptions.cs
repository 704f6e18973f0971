using LiveCloud.Costs;
using LiveCloud.Http;

namespace LiveCloud.Aliyun;

/// <summary>Which OpenAPI signature the Aliyun API client sends.</summary>
public enum AliyunSignatureVersion
{
    /// <summary>V3, <c>ACS3-HMAC-SHA256</c> in the <c>Authorization</c> header: what Alibaba's current SDK sends by default.</summary>
    Acs3,

    /// <summary>RPC signature version 1.0 (<c>HMAC-SHA1</c>, <c>Signature</c> query parameter): the older scheme, still accepted.</summary>
    V1,
}

/// <summary>
/// Settings of the Aliyun ApsaraVideo Live provider (configuration section <c>LiveCloud:Aliyun</c>).
/// <see cref="ToString"/> never shows the secrets.
/// </summary>
public sealed class AliyunOptions
{
    /// <summary>The configuration section under <c>LiveCloud</c>, also the provider's name.</summary>
    public const string SectionName = "Aliyun";

    /// <summary>The default OpenAPI endpoint (every documented region maps to it).</summary>
    public static readonly Uri DefaultEndpoint = new("https://live.aliyuncs.com/");

    /// <summary>The AccessKey ID (or an STS AccessKey ID, <c>STS.…</c>) that signs API calls.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The AccessKey secret. Never logged or shown.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>An STS security token, when <see cref="AccessKeyId"/> is temporary. Never logged or shown.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>The region id, e.g. <c>cn-shanghai</c>; sent as <c>RegionId</c> when set (the live API does not need it).</summary>
    public string? RegionId { get; set; }

    /// <summary>The ingest (push) domain, e.g. <c>push.example.com</c>.</summary>
    public string? PushDomain { get; set; }

    /// <summary>The ingest domain's URL-signing key (type A primary or secondary key). Never logged or shown.</summary>
    public string? PushKey { get; set; }

    /// <summary>The streaming (play) domain, e.g. <c>play.example.com</c>; also the domain the recording and online-list APIs take.</summary>
    public string? PlayDomain { get; set; }

    /// <summary>The streaming domain's URL-signing key. Never logged or shown.</summary>
    public string? PlayKey { get; set; }

    /// <summary>The default application name (<c>live</c>).</summary>
    public string AppName { get; set; } = "live";

    /// <summary>
    /// The callback authentication key (<c>NotifyAuthKey</c>) that signs ingest and recording callbacks.
    /// Without it every callback is refused. Never logged or shown.
    /// </summary>
    public string? CallbackKey { get; set; }

    /// <summary>
    /// The host of the recording callback URL, which Aliyun signs recording callbacks with; when
    /// <see langword="null"/> the callback's own <c>Host</c> header (without port) is used.
    /// </summary>
    public string? RecordingCallbackDomain { get; set; }

    /// <summary>How old (or how far in the future) a callback's <c>ALI-LIVE-TIMESTAMP</c> may be (default 5 minutes).</summary>
    public TimeSpan CallbackMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where recorded OSS objects are served from, e.g. <c>https://my-bucket.oss-cn-shanghai.aliyuncs.com/</c>
    /// or a CDN in front of it. Recording callbacks name only the object path; with this set their
    /// playback URL is absolute, otherwise it is the relative object path.
    /// </summary>
    public Uri? RecordingBaseUrl { get; set; }

    /// <summary>The API signature (ACS3 by default).</summary>
    public AliyunSignatureVersion SignatureVersion { get; set; } = AliyunSignatureVersion.Acs3;

    /// <summary>The OpenAPI endpoint (default <c>https://live.aliyuncs.com/</c>; tests point it at an emulator).</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Whether HTTP-FLV and HLS play URLs use <c>https</c> (default; WeChat requires it) rather than <c>http</c>.</summary>
    public bool UseHttps { get; set; } = true;

    /// <summary>The port of SRT ingest (Aliyun: 1105).</summary>
    public int SrtPort { get; set; } = 1105;

    /// <summary>
    /// Whether each signed URL carries a fresh <c>rand</c> (a UUID without hyphens) instead of <c>0</c>,
    /// making every URL unique. Off by default: signing is then a pure function of its inputs.
    /// </summary>
    public bool RandomizeAuthRand { get; set; }

    /// <summary>The <c>uid</c> field of <c>auth_key</c> (default <c>0</c>; Aliyun does not use it yet).</summary>
    public string AuthUid { get; set; } = "0";

    /// <summary>The default window <see cref="IStreamProvider.ListRecordingsAsync"/> looks back when no start is given (default 7 days).</summary>
    public TimeSpan RecordingListWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Your own prices (configuration <c>LiveCloud:Aliyun:Prices</c>), laid over the embedded list prices. Aliyun's
    /// CNY list prices are not confirmed, so estimates need at least the traffic or bandwidth prices set here.
    /// </summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <summary>Retry, timeout and circuit-breaker settings of the API calls.</summary>
    public VendorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Adds a message per missing or bad key to <paramref name="failures"/>, each naming the full key under <paramref name="sectionPath"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="sectionPath">The section path, e.g. <c>LiveCloud:Aliyun</c>.</param>
    /// <param name="failures">Where messages are added.</param>
    public static void Validate(AliyunOptions options, string sectionPath, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        string key = sectionPath + ":";
        Required(options.AccessKeyId, nameof(AccessKeyId));
        Required(options.AccessKeySecret, nameof(AccessKeySecret));
        Required(options.PushKey, nameof(PushKey));
        Required(options.PlayKey, nameof(PlayKey));
        Host(options.PushDomain, nameof(PushDomain), required: true);
        Host(options.PlayDomain, nameof(PlayDomain), required: true);
        Host(options.RecordingCallbackDomain, nameof(RecordingCallbackDomain), required: false);
        if (!AliyunNames.IsValid(options.AppName))
        {
            failures.Add($"{key}AppName must be 1 to 256 letters, digits, '_', '-' or '='; got '{options.AppName}'.");
        }

        if (!AliyunNames.IsValid(options.AuthUid))
        {
            failures.Add($"{key}AuthUid must be 1 to 256 letters, digits, '_', '-' or '='; got '{options.AuthUid}'.");
        }

        if (!Enum.IsDefined(options.SignatureVersion))
        {
            failures.Add($"{key}SignatureVersion must be ACS3 or V1; got {options.SignatureVersion}.");
        }

        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key}Endpoint must be an absolute http(s) URL; got '{options.Endpoint}'.");
        }

        if (options.RecordingBaseUrl is { IsAbsoluteUri: false })
        {
            failures.Add($"{key}RecordingBaseUrl must be an absolute URL; got '{options.RecordingBaseUrl}'.");
        }

        if (options.CallbackMaxAge <= TimeSpan.Zero)
        {
            failures.Add($"{key}CallbackMaxAge must be positive; got {options.CallbackMaxAge}.");
        }

        if (options.RecordingListWindow <= TimeSpan.Zero)
        {
            failures.Add($"{key}RecordingListWindow must be positive; got {options.RecordingListWindow}.");
        }

        if (options.SrtPort is < 1 or > 65535)
        {
            failures.Add($"{key}SrtPort must be from 1 to 65535; got {options.SrtPort}.");
        }

        if (options.Resilience is null)
        {
            failures.Add($"{key}Resilience is required.");
        }
        else
        {
            options.Resilience.Validate(sectionPath, failures);
        }

        void Required(string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{key}{name} is required.");
            }
        }

        void Host(string? value, string name, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    failures.Add($"{key}{name} is required.");
                }

                return;
            }

            try
            {
                HostName.Validate(value, name);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{key}{name} is not a host name: {ex.Message.Split(" (Parameter", 2)[0]}");
            }
        }
    }

    /// <summary>Lists the settings, the secrets only as set or not set.</summary>
    public override string ToString() =>
        $"AliyunOptions {{ AccessKeyId = {AccessKeyId}, AccessKeySecret = {Set(AccessKeySecret)}, SecurityToken = {Set(SecurityToken)}, RegionId = {RegionId}, " +
        $"PushDomain = {PushDomain}, PushKey = {Set(PushKey)}, PlayDomain = {PlayDomain}, PlayKey = {Set(PlayKey)}, AppName = {AppName}, " +
        $"CallbackKey = {Set(CallbackKey)}, SignatureVersion = {SignatureVersion}, Endpoint = {Endpoint} }}";

    private static string Set(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "***";
}
