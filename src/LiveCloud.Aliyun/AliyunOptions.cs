using LiveCloud.Configuration;
using LiveCloud.Costs;

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
/// <see cref="ToString"/> never shows the secrets (<see cref="AccessKeySecret"/>, <see cref="SecurityToken"/>, the URL keys,
/// <see cref="CallbackKey"/>).
/// </summary>
public sealed class AliyunOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>Aliyun</c>.</summary>
    public const string ProviderName = "Aliyun";

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

    /// <summary>How old (or how far in the future) a callback's <c>ALI-LIVE-TIMESTAMP</c> may be (default 5 minutes, at most 1 hour).</summary>
    public TimeSpan CallbackMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where recorded OSS objects are served from, e.g. <c>https://my-bucket.oss-cn-shanghai.aliyuncs.com/</c>
    /// or a CDN in front of it (a path is kept: <c>https://cdn.example.com/records</c> serves
    /// <c>https://cdn.example.com/records/{object}</c>). Recording callbacks name only the object path; with this set
    /// their <see cref="RecordedFile.PlaybackUrl"/> is absolute, otherwise it is a RELATIVE <see cref="Uri"/> holding
    /// the object path (check <see cref="Uri.IsAbsoluteUri"/> before reading <see cref="Uri.AbsoluteUri"/>).
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

    /// <summary>The default window <see cref="IStreamProvider.ListRecordingsAsync"/> looks back when no start is given (default 7 days, at most 366).</summary>
    public TimeSpan RecordingListWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The region relay (pull-to-push) tasks run in, which every relay call names: <c>cn-shanghai</c>, <c>cn-beijing</c>,
    /// <c>cn-shenzhen</c>, <c>ap-southeast-1</c> or <c>ap-southeast-5</c> (as documented in 2026). Relays are refused,
    /// naming this key, while it is unset.
    /// </summary>
    public string? RelayRegion { get; set; }

    /// <summary>
    /// Where Aliyun reports relay-task state changes (<c>CreateLivePullToPush</c>'s <c>CallbackUrl</c>), e.g.
    /// <c>https://app.example.com/api/callbacks/aliyun</c>; relays report no events when unset. Aliyun documents no
    /// signature on these, so each task's URL carries LiveCloud's own HMAC of its direction and stream under
    /// <see cref="CallbackKey"/>, which is then required.
    /// </summary>
    public Uri? RelayCallbackUrl { get; set; }

    /// <summary>Whether relays may reach loopback, private and link-local addresses (off by default: Aliyun makes the connection on your behalf).</summary>
    public bool AllowPrivateRelayTargets { get; set; }

    /// <summary>Whether relays may be started for streams of apps other than <see cref="AppName"/> (off by default).</summary>
    public bool AllowRelaysForOtherApps { get; set; }

    /// <summary>
    /// Your own prices (configuration <c>LiveCloud:Aliyun:Prices</c>), laid over the embedded list prices. Aliyun's
    /// CNY list prices are not confirmed, so estimates need at least the traffic or bandwidth prices set here.
    /// </summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Required(AccessKeyId, nameof(AccessKeyId));
        check.Required(AccessKeySecret, nameof(AccessKeySecret));
        check.Required(PushKey, nameof(PushKey));
        check.Required(PlayKey, nameof(PlayKey));
        check.HostName(PushDomain, nameof(PushDomain));
        check.HostName(PlayDomain, nameof(PlayDomain));
        check.HostName(RecordingCallbackDomain, nameof(RecordingCallbackDomain), required: false);
        check.That(AliyunNames.IsValid(AppName), nameof(AppName), $"must be 1 to 256 letters, digits, '_', '-' or '='; got '{AppName}'.");
        check.That(AliyunNames.IsValid(AuthUid), nameof(AuthUid), $"must be 1 to 256 letters, digits, '_', '-' or '='; got '{AuthUid}'.");
        check.That(Enum.IsDefined(SignatureVersion), nameof(SignatureVersion), $"must be Acs3 or V1; got {SignatureVersion}.");
        check.HttpUrl(Endpoint, nameof(Endpoint), DefaultEndpoint);
        if (RecordingBaseUrl is not null)
        {
            check.HttpUrl(RecordingBaseUrl, nameof(RecordingBaseUrl), new Uri("https://my-bucket.oss-cn-shanghai.aliyuncs.com/"));
        }

        check.InRange(CallbackMaxAge, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), nameof(CallbackMaxAge));
        check.InRange(RecordingListWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366), nameof(RecordingListWindow));
        check.InRange(SrtPort, 1, 65535, nameof(SrtPort));
        check.That(RelayRegion is null || (RelayRegion.Length > 0 && RelayRegion.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')), nameof(RelayRegion), $"'{RelayRegion}' is not a region id such as cn-shanghai.");
        if (RelayCallbackUrl is not null)
        {
            check.HttpUrl(RelayCallbackUrl, nameof(RelayCallbackUrl), new Uri("https://app.example.com/api/callbacks/aliyun"));
            check.Required(CallbackKey, nameof(CallbackKey), $" when {check.PathOf(nameof(RelayCallbackUrl))} is set (it signs the relay callback URLs)");
        }
    }

    /// <summary>Lists the settings, the secrets only as set or not set.</summary>
    public override string ToString() =>
        $"AliyunOptions {{ AccessKeyId = {AccessKeyId}, AccessKeySecret = {Secret.Mask(AccessKeySecret)}, SecurityToken = {Secret.Mask(SecurityToken)}, RegionId = {RegionId}, " +
        $"PushDomain = {PushDomain}, PushKey = {Secret.Mask(PushKey)}, PlayDomain = {PlayDomain}, PlayKey = {Secret.Mask(PlayKey)}, AppName = {AppName}, " +
        $"CallbackKey = {Secret.Mask(CallbackKey)}, RecordingCallbackDomain = {RecordingCallbackDomain}, RecordingBaseUrl = {RecordingBaseUrl}, SignatureVersion = {SignatureVersion}, " +
        $"RelayRegion = {RelayRegion}, RelayCallbackUrl = {RelayCallbackUrl}, AllowPrivateRelayTargets = {AllowPrivateRelayTargets}, AllowRelaysForOtherApps = {AllowRelaysForOtherApps}, Endpoint = {Endpoint} }}";
}
