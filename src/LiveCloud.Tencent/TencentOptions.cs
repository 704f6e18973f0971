using LiveCloud.Configuration;
using LiveCloud.Costs;

namespace LiveCloud.Tencent;

/// <summary>
/// Settings of the Tencent Cloud Live provider (configuration section <c>LiveCloud:Tencent</c>).
/// <see cref="ToString"/> never shows the secrets (<see cref="SecretKey"/>, the URL keys, <see cref="CallbackKey"/>, <see cref="SessionToken"/>).
/// </summary>
public sealed class TencentOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>Tencent</c>.</summary>
    public const string ProviderName = "Tencent";

    /// <summary>The default API endpoint, <c>https://live.tencentcloudapi.com/</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://live.tencentcloudapi.com/");

    /// <summary>The API key id (CAM SecretId). Required.</summary>
    public string? SecretId { get; set; }

    /// <summary>The API key secret (CAM SecretKey). Required; never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The region sent as <c>X-TC-Region</c> (e.g. <c>ap-guangzhou</c>); Live APIs do not need one, so it may be left out.</summary>
    public string? Region { get; set; }

    /// <summary>A temporary-credential (STS) token sent as <c>X-TC-Token</c>; leave empty for permanent keys.</summary>
    public string? SessionToken { get; set; }

    /// <summary>The push domain, e.g. <c>push.example.com</c>. Required.</summary>
    public string? PushDomain { get; set; }

    /// <summary>The push authentication key (console "推流鉴权" primary key). Required.</summary>
    public string? PushKey { get; set; }

    /// <summary>The play domain, e.g. <c>play.example.com</c>. Required.</summary>
    public string? PlayDomain { get; set; }

    /// <summary>The play authentication key (console "播放鉴权" primary key). Required.</summary>
    public string? PlayKey { get; set; }

    /// <summary>The backup push key; Tencent accepts URLs signed with either key, which allows a smooth key rotation.</summary>
    public string? BackupPushKey { get; set; }

    /// <summary>The backup play key (the console's <c>AuthBackKey</c>).</summary>
    public string? BackupPlayKey { get; set; }

    /// <summary>
    /// Signs URLs with <see cref="BackupPushKey"/> and <see cref="BackupPlayKey"/> instead of the primary keys, while the
    /// primary keys are being replaced. Both backup keys are then required.
    /// </summary>
    public bool UseBackupKeys { get; set; }

    /// <summary>The default application name, <c>live</c>.</summary>
    public string AppName { get; set; } = "live";

    /// <summary>Whether HTTP-FLV and HLS play URLs use <c>https://</c> (default <see langword="true"/>).</summary>
    /// <remarks>
    /// WeChat <c>&lt;live-player&gt;</c> requires HTTPS FLV in a released mini-program and browsers block
    /// <c>http://</c> media on HTTPS pages, so HTTPS is the default; set <see langword="false"/> only for a play
    /// domain without a certificate.
    /// </remarks>
    public bool UseHttpsPlayback { get; set; } = true;

    /// <summary>The callback key (<c>CallbackKey</c> of the callback template); callbacks are supported only when it is set.</summary>
    public string? CallbackKey { get; set; }

    /// <summary>
    /// How long after its <c>t</c> (the expiry Tencent puts in every callback, by default sending time + 10 minutes)
    /// a callback is still accepted, to allow for clock skew (default 30 s, at most 10 minutes).
    /// </summary>
    public TimeSpan CallbackClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where Tencent reports relay-task events (<c>CreateLivePullStreamTask</c>'s <c>CallbackUrl</c>), e.g.
    /// <c>https://app.example.com/api/callbacks/tencent</c>; relays report no events when unset. Tencent signs none of
    /// these, so each task's URL carries LiveCloud's own HMAC of its direction and stream under
    /// <see cref="CallbackKey"/>, which is then required.
    /// </summary>
    public Uri? RelayCallbackUrl { get; set; }

    /// <summary>Whether relays may reach loopback, private and link-local addresses (off by default: Tencent makes the connection on your behalf).</summary>
    public bool AllowPrivateRelayTargets { get; set; }

    /// <summary>Whether relays may be started for streams of apps other than <see cref="AppName"/> (off by default).</summary>
    public bool AllowRelaysForOtherApps { get; set; }

    /// <summary>The API endpoint; <see cref="DefaultEndpoint"/> unless a test points it at an emulator.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Your own prices (configuration <c>LiveCloud:Tencent:Prices</c>), laid over the embedded list prices.</summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Required(SecretId, nameof(SecretId));
        check.Required(SecretKey, nameof(SecretKey));
        check.Required(PushKey, nameof(PushKey));
        check.Required(PlayKey, nameof(PlayKey));
        check.HostName(PushDomain, nameof(PushDomain));
        check.HostName(PlayDomain, nameof(PlayDomain));
        if (UseBackupKeys)
        {
            string when = $" when {check.PathOf(nameof(UseBackupKeys))} is true";
            check.Required(BackupPushKey, nameof(BackupPushKey), when);
            check.Required(BackupPlayKey, nameof(BackupPlayKey), when);
        }

        check.StreamIdPart(AppName, nameof(AppName));
        check.That(Region is not { Length: > 0 } region || region.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'), nameof(Region), $"'{Region}' is not a region name such as ap-guangzhou.");
        check.HttpUrl(Endpoint, nameof(Endpoint), DefaultEndpoint);
        check.InRange(CallbackClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(10), nameof(CallbackClockSkew));
        if (RelayCallbackUrl is not null)
        {
            check.HttpUrl(RelayCallbackUrl, nameof(RelayCallbackUrl), new Uri("https://app.example.com/api/callbacks/tencent"));
            check.Required(CallbackKey, nameof(CallbackKey), $" when {check.PathOf(nameof(RelayCallbackUrl))} is set (it signs the relay callback URLs)");
        }
    }

    /// <summary>Shows the non-secret settings; secrets appear only as whether they are set.</summary>
    public override string ToString() =>
        $"TencentOptions {{ SecretId = {SecretId}, SecretKey = {Secret.Mask(SecretKey)}, Region = {Region}, PushDomain = {PushDomain}, PushKey = {Secret.Mask(PushKey)}, " +
        $"PlayDomain = {PlayDomain}, PlayKey = {Secret.Mask(PlayKey)}, BackupPushKey = {Secret.Mask(BackupPushKey)}, BackupPlayKey = {Secret.Mask(BackupPlayKey)}, UseBackupKeys = {UseBackupKeys}, " +
        $"AppName = {AppName}, UseHttpsPlayback = {UseHttpsPlayback}, CallbackKey = {Secret.Mask(CallbackKey)}, SessionToken = {Secret.Mask(SessionToken)}, " +
        $"RelayCallbackUrl = {RelayCallbackUrl}, AllowPrivateRelayTargets = {AllowPrivateRelayTargets}, AllowRelaysForOtherApps = {AllowRelaysForOtherApps}, Endpoint = {Endpoint} }}";
}
