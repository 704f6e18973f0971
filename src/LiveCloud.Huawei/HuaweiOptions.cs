using LiveCloud.Configuration;
using LiveCloud.Costs;

namespace LiveCloud.Huawei;

/// <summary>
/// A domain's URL authentication type ("Key防盗链"), as set in the Huawei console or with <c>UpdateDomainKeyChain</c>
/// (<c>auth_type</c>): <see cref="D"/> (<c>d_sha256</c>, Huawei's recommendation), <see cref="B"/> (<c>b_md5</c>),
/// <see cref="A"/> (<c>a_md5</c>). <see cref="C"/> (<c>c_aes</c>) exists only to be refused with a clear message: its
/// cipher parameters are not documented.
/// </summary>
public enum HuaweiUrlAuthType
{
    /// <summary>Type D: <c>hwSecret = hex(HMAC-SHA256(key, StreamName + hwTime))</c>, <c>hwTime</c> = hex issue time; valid for the domain's timeout.</summary>
    D,

    /// <summary>Type B: <c>txSecret = md5(key + StreamName + txTime)</c>, <c>txTime</c> = hex expiry (Tencent-compatible).</summary>
    B,

    /// <summary>Type A: <c>auth_key = {timestamp}-{rand}-{uid}-md5("{URI}-{timestamp}-{rand}-{uid}-{key}")</c>; valid for the domain's timeout from <c>timestamp</c>.</summary>
    A,

    /// <summary>Type C (<c>c_aes</c>): not supported (AES mode, padding, key and IV format are not documented); options naming it fail validation.</summary>
    C,
}

/// <summary>What the <c>offset</c> of Huawei's list calls counts, where Huawei's pages do not say.</summary>
public enum HuaweiListOffset
{
    /// <summary><c>offset</c> is the page number, from 0 (what Huawei calls it on the calls that do say, "分页编号").</summary>
    PageIndex,

    /// <summary><c>offset</c> is the number of records skipped.</summary>
    RecordOffset,
}

/// <summary>The signature of recording callbacks, chosen per callback configuration (<c>sign_type</c>).</summary>
public enum HuaweiRecordCallbackSignType
{
    /// <summary><c>HMACSHA256</c>: <c>hex(HMAC-SHA256(key, auth_timestamp + event_type + publish_domain + app + stream + download_url + play_url))</c>.</summary>
    HmacSha256,

    /// <summary><c>MD5</c>: <c>md5(key + auth_timestamp)</c>, which covers no field of the event.</summary>
    Md5,
}

/// <summary>
/// Settings of the Huawei Cloud Live provider (configuration section <c>LiveCloud:Huawei</c>). <see cref="ToString"/>
/// never shows the secrets (<see cref="SecretAccessKey"/>, <see cref="SecurityToken"/>, the URL keys, the callback keys).
/// </summary>
/// <remarks>
/// A Huawei play domain serves FLV, RTMP and WebRTC <em>or</em> HLS, never both (its <c>pull_protocol</c>): configure
/// <see cref="PlayDomain"/> for the first kind and <see cref="HlsPlayDomain"/> for the second, or both. Each domain has
/// its own URL authentication type, key and timeout, which these options must repeat exactly as the console shows them
/// (<see cref="HuaweiApiClient.ShowDomainKeyChainAsync"/> reads them).
/// </remarks>
public sealed class HuaweiOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>Huawei</c>.</summary>
    public const string ProviderName = "Huawei";

    /// <summary>The default region, <c>cn-north-4</c> (华北-北京四, the only region new accounts get).</summary>
    public const string DefaultRegion = "cn-north-4";

    private static readonly TimeSpan MinAuthTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxAuthTimeout = TimeSpan.FromDays(30);

    /// <summary>The access key id (AK) that signs API calls. Required.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key (SK). Required; never logged or shown.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A temporary credential's security token, sent (and signed) as <c>X-Security-Token</c>. Never logged or shown.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>The project id of <see cref="Region"/> (console: My Credentials → Projects). Required: every Live path and the <c>X-Project-Id</c> header carry it.</summary>
    public string? ProjectId { get; set; }

    /// <summary>The region, e.g. <c>cn-north-4</c>: the API host and the region of pull-relay tasks.</summary>
    public string Region { get; set; } = DefaultRegion;

    /// <summary>The API endpoint; <c>https://live.{Region}.myhuaweicloud.com/</c> when <see langword="null"/> (tests point it at an emulator).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The endpoint calls go to: <see cref="Endpoint"/>, or the one of <see cref="Region"/>.</summary>
    public Uri ApiEndpoint => Endpoint ?? new Uri($"https://live.{Region}.myhuaweicloud.com/");

    /// <summary>The push (ingest) domain, e.g. <c>push.example.com</c>. Required.</summary>
    public string? PushDomain { get; set; }

    /// <summary>The push domain's URL authentication key. Required; never logged or shown.</summary>
    public string? PushKey { get; set; }

    /// <summary>The push domain's URL authentication type (default <see cref="HuaweiUrlAuthType.D"/>).</summary>
    public HuaweiUrlAuthType PushAuthType { get; set; } = HuaweiUrlAuthType.D;

    /// <summary>
    /// The push domain's authentication timeout as configured at Huawei (60 s to 30 days). Required for types D and A,
    /// whose URLs carry an issue time and live this long from it: a URL can live at most this long from now.
    /// </summary>
    public TimeSpan? PushAuthTimeout { get; set; }

    /// <summary>The play domain of FLV, RTMP and WebRTC (<c>pull_protocol</c> <c>flv_rtmp</c>), e.g. <c>play.example.com</c>.</summary>
    public string? PlayDomain { get; set; }

    /// <summary>The play domain's URL authentication key. Required with <see cref="PlayDomain"/>; never logged or shown.</summary>
    public string? PlayKey { get; set; }

    /// <summary>The play domain's URL authentication type (default <see cref="HuaweiUrlAuthType.D"/>, the only one Media Live play domains take).</summary>
    public HuaweiUrlAuthType PlayAuthType { get; set; } = HuaweiUrlAuthType.D;

    /// <summary>The play domain's authentication timeout as configured at Huawei; required for types D and A.</summary>
    public TimeSpan? PlayAuthTimeout { get; set; }

    /// <summary>The HLS play domain (<c>pull_protocol</c> <c>hls</c>), e.g. <c>hls.example.com</c>; HLS URLs are made only when it is set.</summary>
    public string? HlsPlayDomain { get; set; }

    /// <summary>The HLS play domain's key; <see cref="PlayKey"/> when <see langword="null"/>. Never logged or shown.</summary>
    public string? HlsPlayKey { get; set; }

    /// <summary>The HLS play domain's authentication type; <see cref="PlayAuthType"/> when <see langword="null"/>.</summary>
    public HuaweiUrlAuthType? HlsPlayAuthType { get; set; }

    /// <summary>
    /// The HLS play domain's timeout; <see cref="PlayAuthTimeout"/> when <see langword="null"/>. Huawei checks every HLS
    /// request, so an HLS URL stops playing when it expires: make it outlive the show.
    /// </summary>
    public TimeSpan? HlsPlayAuthTimeout { get; set; }

    /// <summary>The default application name, <c>live</c>.</summary>
    public string AppName { get; set; } = "live";

    /// <summary>Whether FLV and HLS play URLs use <c>https</c> (default; WeChat and HTTPS pages need it) rather than <c>http</c>.</summary>
    public bool UseHttps { get; set; } = true;

    /// <summary>
    /// The push notification key (<c>auth_sign_key</c> of <c>UpdatePublishTemplate</c>) that signs PUBLISH and PUBLISH_DONE
    /// callbacks. Without it every push callback is refused. Never logged or shown.
    /// </summary>
    public string? CallbackKey { get; set; }

    /// <summary>The recording callback key (<c>key</c> of <c>CreateRecordCallbackConfig</c>). Without it every recording callback is refused. Never logged or shown.</summary>
    public string? RecordCallbackKey { get; set; }

    /// <summary>The recording callbacks' <c>sign_type</c> as configured (default <see cref="HuaweiRecordCallbackSignType.HmacSha256"/>).</summary>
    public HuaweiRecordCallbackSignType RecordCallbackSignType { get; set; } = HuaweiRecordCallbackSignType.HmacSha256;

    /// <summary>
    /// How long after its <c>auth_timestamp</c> (the expiry Huawei signs into each callback) a callback is still accepted,
    /// for clock skew and delivery delay (default 1 minute, at most 1 hour).
    /// </summary>
    public TimeSpan CallbackClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The window <see cref="IStreamProvider.ListRecordingsAsync"/> looks back when no start is given (default 7 days; Huawei keeps recording events 30 days).</summary>
    public TimeSpan RecordingListWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// What <c>offset</c> counts in <c>ListLiveStreamsOnline</c>, <c>ListRecordRules</c> and <c>ListPullTasks</c>, which
    /// Huawei does not document. Unset (the default), a listing that needs a second page fails with a message naming this
    /// option instead of guessing; one page (up to 100 entries) always works.
    /// </summary>
    public HuaweiListOffset? ListOffset { get; set; }

    /// <summary>Whether pull relays may read loopback, private and link-local addresses (off by default).</summary>
    public bool AllowPrivateRelayTargets { get; set; }

    /// <summary>
    /// Your own prices (configuration <c>LiveCloud:Huawei:Prices</c>), laid over the embedded table. No Huawei list price
    /// is confirmed, so an estimate needs at least the traffic or bandwidth prices set here.
    /// </summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <summary>The HLS play domain's key (<see cref="HlsPlayKey"/>, else <see cref="PlayKey"/>).</summary>
    internal string? EffectiveHlsPlayKey => HlsPlayKey ?? PlayKey;

    /// <summary>The HLS play domain's type (<see cref="HlsPlayAuthType"/>, else <see cref="PlayAuthType"/>).</summary>
    internal HuaweiUrlAuthType EffectiveHlsPlayAuthType => HlsPlayAuthType ?? PlayAuthType;

    /// <summary>The HLS play domain's timeout (<see cref="HlsPlayAuthTimeout"/>, else <see cref="PlayAuthTimeout"/>).</summary>
    internal TimeSpan? EffectiveHlsPlayAuthTimeout => HlsPlayAuthTimeout ?? PlayAuthTimeout;

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Required(AccessKeyId, nameof(AccessKeyId));
        check.Required(SecretAccessKey, nameof(SecretAccessKey));
        check.Required(ProjectId, nameof(ProjectId));
        check.That(ProjectId is null || ProjectId.All(char.IsAsciiLetterOrDigit), nameof(ProjectId), $"must hold only letters and digits (a project id such as 0123456789abcdef0123456789abcdef); got '{ProjectId}'.");
        check.That(!string.IsNullOrEmpty(Region) && Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'), nameof(Region), $"must be a region id such as {DefaultRegion}; got '{Region}'.");
        if (Endpoint is not null)
        {
            check.HttpUrl(Endpoint, nameof(Endpoint), new Uri($"https://live.{DefaultRegion}.myhuaweicloud.com/"));
        }

        check.HostName(PushDomain, nameof(PushDomain));
        check.Required(PushKey, nameof(PushKey));
        AuthType(check, PushAuthType, nameof(PushAuthType));
        AuthTimeout(check, PushAuthType, PushAuthTimeout, nameof(PushAuthTimeout));

        check.That(!string.IsNullOrWhiteSpace(PlayDomain) || !string.IsNullOrWhiteSpace(HlsPlayDomain), nameof(PlayDomain), $"is required unless {check.PathOf(nameof(HlsPlayDomain))} is set (a Huawei play domain serves FLV/RTMP/WebRTC or HLS; configure either or both).");
        if (!string.IsNullOrWhiteSpace(PlayDomain))
        {
            check.HostName(PlayDomain, nameof(PlayDomain));
            check.Required(PlayKey, nameof(PlayKey), $" with {check.PathOf(nameof(PlayDomain))}");
            AuthType(check, PlayAuthType, nameof(PlayAuthType));
            AuthTimeout(check, PlayAuthType, PlayAuthTimeout, nameof(PlayAuthTimeout));
        }

        if (!string.IsNullOrWhiteSpace(HlsPlayDomain))
        {
            check.HostName(HlsPlayDomain, nameof(HlsPlayDomain));
            check.That(!string.IsNullOrWhiteSpace(EffectiveHlsPlayKey), nameof(HlsPlayKey), $"is required with {check.PathOf(nameof(HlsPlayDomain))} (or set {check.PathOf(nameof(PlayKey))}).");
            AuthType(check, EffectiveHlsPlayAuthType, nameof(HlsPlayAuthType));
            AuthTimeout(check, EffectiveHlsPlayAuthType, EffectiveHlsPlayAuthTimeout, nameof(HlsPlayAuthTimeout));
        }

        check.That(HuaweiNames.IsValidApp(AppName), nameof(AppName), $"must be 1 to 128 letters, digits, '_' or '-'; got '{AppName}'.");
        check.That(Enum.IsDefined(RecordCallbackSignType), nameof(RecordCallbackSignType), $"must be HmacSha256 or Md5; got {RecordCallbackSignType}.");
        check.That(ListOffset is null || Enum.IsDefined(ListOffset.Value), nameof(ListOffset), $"must be PageIndex or RecordOffset; got {ListOffset}.");
        check.InRange(CallbackClockSkew, TimeSpan.Zero, TimeSpan.FromHours(1), nameof(CallbackClockSkew));
        check.InRange(RecordingListWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), nameof(RecordingListWindow));
    }

    private static void AuthType(OptionChecks check, HuaweiUrlAuthType type, string key)
    {
        if (type == HuaweiUrlAuthType.C)
        {
            check.Fail(key, "is C (c_aes), which LiveCloud does not support: Huawei does not document its AES mode, padding, key or IV format. Switch the domain to type D (recommended by Huawei), B or A.");
            return;
        }

        check.That(Enum.IsDefined(type), key, $"must be D, B or A; got {type}.");
    }

    private static void AuthTimeout(OptionChecks check, HuaweiUrlAuthType type, TimeSpan? timeout, string key)
    {
        if (type is not (HuaweiUrlAuthType.D or HuaweiUrlAuthType.A))
        {
            return;
        }

        if (timeout is not { } value)
        {
            check.Fail(key, $"is required for type {type}: its URLs carry an issue time and stay valid for the domain's timeout from it (copy the timeout the console shows for the domain, 60 s to 30 days).");
            return;
        }

        check.InRange(value, MinAuthTimeout, MaxAuthTimeout, key);
    }

    /// <summary>Lists the settings, the secrets only as set or not set.</summary>
    public override string ToString() =>
        $"HuaweiOptions {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = {Secret.Mask(SecretAccessKey)}, SecurityToken = {Secret.Mask(SecurityToken)}, ProjectId = {ProjectId}, Region = {Region}, Endpoint = {Endpoint?.ToString() ?? $"(region {Region})"}, " +
        $"PushDomain = {PushDomain}, PushKey = {Secret.Mask(PushKey)}, PushAuthType = {PushAuthType}, PushAuthTimeout = {PushAuthTimeout}, " +
        $"PlayDomain = {PlayDomain}, PlayKey = {Secret.Mask(PlayKey)}, PlayAuthType = {PlayAuthType}, PlayAuthTimeout = {PlayAuthTimeout}, " +
        $"HlsPlayDomain = {HlsPlayDomain}, HlsPlayKey = {Secret.Mask(HlsPlayKey)}, HlsPlayAuthType = {HlsPlayAuthType}, HlsPlayAuthTimeout = {HlsPlayAuthTimeout}, AppName = {AppName}, " +
        $"CallbackKey = {Secret.Mask(CallbackKey)}, RecordCallbackKey = {Secret.Mask(RecordCallbackKey)}, RecordCallbackSignType = {RecordCallbackSignType}, ListOffset = {ListOffset} }}";
}
