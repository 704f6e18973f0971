using LiveCloud.Configuration;
using LiveCloud.Costs;

namespace LiveCloud.Qiniu;

/// <summary>
/// Settings of the Qiniu Pili provider (configuration section <c>LiveCloud:Qiniu</c>). The provider
/// serves one hub: a <see cref="StreamId"/>'s <see cref="StreamId.App"/> is that hub.
/// <see cref="ToString"/> never shows the secrets (<see cref="SecretKey"/>, <see cref="PushKey"/>, <see cref="PlayKey"/>, <see cref="CallbackToken"/>).
/// </summary>
public sealed class QiniuOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>Qiniu</c>.</summary>
    public const string ProviderName = "Qiniu";

    /// <summary>The default management endpoint, <c>https://pili.qiniuapi.com/</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://pili.qiniuapi.com/");

    /// <summary>The account's AccessKey (AK); signs management calls and <c>expiry_sk</c> push URLs.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The account's SecretKey (SK). Secret.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// The Pili hub (直播空间). Every <see cref="StreamId"/> given to the provider must have this hub as its
    /// <see cref="StreamId.App"/>.
    /// </summary>
    public string? Hub { get; set; }

    /// <summary>The hub's RTMP push domain (<c>publishRtmp</c>), e.g. <c>pili-publish.example.com</c>.</summary>
    public string? PushDomain { get; set; }

    /// <summary>
    /// The hub's push security (<c>publishSecurity</c>): <c>expiry_sk</c> (default; signed with AK/SK),
    /// <c>expiry</c> (signed with <see cref="PushKey"/>), <c>static</c> (<see cref="PushKey"/> in the URL) or <c>none</c>.
    /// It must match what the hub is set to in the Qiniu console.
    /// </summary>
    public string PushSecurity { get; set; } = "expiry_sk";

    /// <summary>The hub's publish key (<c>publishKey</c>), needed for <c>expiry</c> and <c>static</c>. Secret.</summary>
    public string? PushKey { get; set; }

    /// <summary>The RTMP play domain (<c>liveRtmp</c>); no RTMP play URLs when empty.</summary>
    public string? RtmpPlayDomain { get; set; }

    /// <summary>The HLS play domain (<c>liveHls</c>); no HLS play URLs when empty.</summary>
    public string? HlsPlayDomain { get; set; }

    /// <summary>The HTTP-FLV play domain (<c>liveHdl</c>); no HTTP-FLV play URLs when empty.</summary>
    public string? FlvPlayDomain { get; set; }

    /// <summary>
    /// The play domains' timestamp anti-leech key (时间戳防盗链, standard rule <c>$(key)$(path)$(_t)</c>, hex <c>t</c>);
    /// empty gives unsigned play URLs. Secret.
    /// </summary>
    public string? PlayKey { get; set; }

    /// <summary>
    /// The shared secret callbacks must carry as <c>token</c> (in the callback URL's query, or as a static
    /// <c>vars</c> field). Pili documents no way to verify its callbacks' <c>Authorization</c> header, so
    /// callbacks are refused while this is empty. Secret.
    /// </summary>
    public string? CallbackToken { get; set; }

    /// <summary>The management API endpoint; <see cref="DefaultEndpoint"/> unless tests point it at an emulator.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>The Pub relay API's default endpoint, <c>https://pili-pub.qiniuapi.com/</c> (<c>pili-hw-pub.qiniuapi.com</c> for relays run abroad).</summary>
    public static readonly Uri DefaultPubEndpoint = new("https://pili-pub.qiniuapi.com/");

    /// <summary>The Pub relay (转推) API endpoint; <see cref="DefaultPubEndpoint"/> unless set.</summary>
    public Uri PubEndpoint { get; set; } = DefaultPubEndpoint;

    /// <summary>
    /// Where Pub reports relay-task status (the task's <c>statusCallback</c>), e.g.
    /// <c>https://app.example.com/api/callbacks/qiniu</c>; relays report no events when unset. Each task's URL carries
    /// LiveCloud's HMAC of its direction and stream under <see cref="CallbackToken"/>, which is then required.
    /// </summary>
    public Uri? RelayCallbackUrl { get; set; }

    /// <summary>Whether relays may reach loopback, private and link-local addresses (off by default: Pub makes the connection on your behalf).</summary>
    public bool AllowPrivateRelayTargets { get; set; }

    /// <summary>
    /// Your own prices (configuration <c>LiveCloud:Qiniu:Prices</c>), laid over the embedded list prices. Qiniu
    /// publishes no live traffic or bandwidth price, so estimates need at least one of those set here.
    /// </summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Required(AccessKey, nameof(AccessKey));
        check.Required(SecretKey, nameof(SecretKey));
        check.Required(Hub, nameof(Hub));
        if (!string.IsNullOrWhiteSpace(Hub))
        {
            check.That(QiniuNames.IsValidHub(Hub), nameof(Hub), $"'{Hub}' may hold only letters, digits, '_' and '-' (at most {QiniuNames.MaxHubLength}).");
        }

        check.HostName(PushDomain, nameof(PushDomain));
        if (!QiniuUrlSigner.TryParseSecurity(PushSecurity, out QiniuPushSecurity security))
        {
            check.Fail(nameof(PushSecurity), $"must be one of expiry_sk, expiry, static, none; got '{PushSecurity}'.");
        }
        else if (security is QiniuPushSecurity.Expiry or QiniuPushSecurity.Static)
        {
            check.Required(PushKey, nameof(PushKey), $" when {check.PathOf(nameof(PushSecurity))} is '{PushSecurity}'");
        }

        check.HostName(RtmpPlayDomain, nameof(RtmpPlayDomain), required: false);
        check.HostName(HlsPlayDomain, nameof(HlsPlayDomain), required: false);
        check.HostName(FlvPlayDomain, nameof(FlvPlayDomain), required: false);
        check.HttpUrl(Endpoint, nameof(Endpoint), DefaultEndpoint);
        check.HttpUrl(PubEndpoint, nameof(PubEndpoint), DefaultPubEndpoint);
        if (RelayCallbackUrl is not null)
        {
            check.HttpUrl(RelayCallbackUrl, nameof(RelayCallbackUrl), new Uri("https://app.example.com/api/callbacks/qiniu"));
            check.Required(CallbackToken, nameof(CallbackToken), $" when {check.PathOf(nameof(RelayCallbackUrl))} is set (it signs the relay callback URLs)");
        }
    }

    /// <summary>Shows the non-secret settings; secrets appear only as whether they are set.</summary>
    public override string ToString() =>
        $"QiniuOptions {{ AccessKey = {AccessKey}, SecretKey = {Secret.Mask(SecretKey)}, Hub = {Hub}, PushDomain = {PushDomain}, PushSecurity = {PushSecurity}, PushKey = {Secret.Mask(PushKey)}, " +
        $"RtmpPlayDomain = {RtmpPlayDomain}, HlsPlayDomain = {HlsPlayDomain}, FlvPlayDomain = {FlvPlayDomain}, PlayKey = {Secret.Mask(PlayKey)}, CallbackToken = {Secret.Mask(CallbackToken)}, Endpoint = {Endpoint}, " +
        $"PubEndpoint = {PubEndpoint}, RelayCallbackUrl = {RelayCallbackUrl}, AllowPrivateRelayTargets = {AllowPrivateRelayTargets} }}";
}
