using LiveCloud.Configuration;
using LiveCloud.Costs;

namespace LiveCloud.Volcengine;

/// <summary>
/// Settings of the Volcengine Live provider (configuration section <c>LiveCloud:Volcengine</c>).
/// <see cref="ToString"/> never shows the secrets (<see cref="SecretAccessKey"/>, <see cref="SessionToken"/>, the URL keys,
/// <see cref="CallbackKey"/>).
/// </summary>
public sealed class VolcengineOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>Volcengine</c>.</summary>
    public const string ProviderName = "Volcengine";

    /// <summary>The default OpenAPI endpoint of Live, <c>https://live.volcengineapi.com/</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://live.volcengineapi.com/");

    /// <summary>The default region of the request signature, <c>cn-north-1</c> (the only one <c>ForbidStream</c> serves).</summary>
    public const string DefaultRegion = "cn-north-1";

    /// <summary>The URL parameter names Volcengine uses unless a domain's <c>AuthField</c> renames them.</summary>
    public const string DefaultTimeParameter = "volcTime";

    /// <inheritdoc cref="DefaultTimeParameter"/>
    public const string DefaultSecretParameter = "volcSecret";

    /// <summary>The AccessKey ID that signs API calls. Required.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The SecretAccessKey. Required; never logged or shown.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>An STS session token (<c>X-Security-Token</c>), when <see cref="AccessKeyId"/> is temporary. Never logged or shown.</summary>
    public string? SessionToken { get; set; }

    /// <summary>The region of the request signature (default <c>cn-north-1</c>).</summary>
    public string Region { get; set; } = DefaultRegion;

    /// <summary>The OpenAPI endpoint (default <c>https://live.volcengineapi.com/</c>; tests point it at an emulator).</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>The push domain, e.g. <c>push.example.com</c>. Required.</summary>
    public string? PushDomain { get; set; }

    /// <summary>The push domain's type B URL-signing key (primary or secondary <c>SecretKey</c>, 1–100 letters and digits). Required; never shown.</summary>
    public string? PushKey { get; set; }

    /// <summary>The pull (play) domain, e.g. <c>play.example.com</c>. Required.</summary>
    public string? PlayDomain { get; set; }

    /// <summary>
    /// The pull domain's type B URL-signing key. Required; never shown. LiveCloud signs type B only: a pull domain set to
    /// type A, C or a custom type needs its URLs from <see cref="VolcengineApiClient.GeneratePlayUrlAsync"/> instead.
    /// </summary>
    public string? PlayKey { get; set; }

    /// <summary>
    /// The domain space (Vhost) of the push domain, which <c>KillStream</c> needs. When not set it is read once from
    /// <c>DescribeDomain</c> on the first drop.
    /// </summary>
    public string? Vhost { get; set; }

    /// <summary>The default application name, <c>live</c> (Volcengine names none: every documentation example uses it).</summary>
    public string AppName { get; set; } = "live";

    /// <summary>The name of the push URL's expiry parameter (the push domain's <c>AuthField</c>; default <c>volcTime</c>).</summary>
    public string PushTimeParameter { get; set; } = DefaultTimeParameter;

    /// <summary>The name of the push URL's signature parameter (default <c>volcSecret</c>).</summary>
    public string PushSecretParameter { get; set; } = DefaultSecretParameter;

    /// <summary>The name of the play URLs' expiry parameter (the pull domain's <c>AuthField</c>; default <c>volcTime</c>).</summary>
    public string PlayTimeParameter { get; set; } = DefaultTimeParameter;

    /// <summary>The name of the play URLs' signature parameter (default <c>volcSecret</c>).</summary>
    public string PlaySecretParameter { get; set; } = DefaultSecretParameter;

    /// <summary>Whether HTTP-FLV and HLS play URLs use <c>https://</c> (default; WeChat requires it) rather than <c>http://</c>.</summary>
    public bool UseHttpsPlayback { get; set; } = true;

    /// <summary>
    /// What follows <c>/{app}/{stream}</c> in an HTTP-FLV play URL, e.g. <c>.flv</c>. Volcengine's documentation gives no
    /// FLV URL shape, so FLV play URLs are offered only when this is set: read the shape from a
    /// <see cref="VolcengineApiClient.GeneratePlayUrlAsync"/> answer for your pull domain. The signature is the documented
    /// type B one, over <c>/{app}/{stream}</c> without the suffix.
    /// </summary>
    public string? FlvPathSuffix { get; set; }

    /// <summary>
    /// What follows <c>/{app}/{stream}</c> in an HLS play URL, e.g. <c>.m3u8</c> or <c>/index.m3u8</c>. HLS play URLs are
    /// offered only when this is set (see <see cref="FlvPathSuffix"/>).
    /// </summary>
    public string? HlsPathSuffix { get; set; }

    /// <summary>
    /// The callback key (<c>AuthKeyPrimary</c> of <c>UpdateCallback</c>, with <c>AuthEnable</c> on); callbacks are supported
    /// only when it is set: unsigned callbacks are never trusted. Never shown.
    /// </summary>
    public string? CallbackKey { get; set; }

    /// <summary>
    /// How long after its <c>t</c> (the expiry Volcengine puts in every callback, by default sending time + 10 minutes) a
    /// callback is still accepted, to allow for clock skew (default 30 s, at most 10 minutes).
    /// </summary>
    public TimeSpan CallbackClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where recordings stored in TOS are served from, e.g. <c>https://my-bucket.tos-cn-beijing.volces.com/</c> or a CDN in
    /// front of it (a path is kept). <c>DescribeRecordTaskFileHistory</c> names only the bucket and object path: with this
    /// set a listed file's <see cref="RecordedFile.PlaybackUrl"/> is absolute, otherwise it is a RELATIVE <see cref="Uri"/>
    /// holding the object path (check <see cref="Uri.IsAbsoluteUri"/>).
    /// </summary>
    public Uri? RecordingBaseUrl { get; set; }

    /// <summary>How far <see cref="IStreamProvider.ListRecordingsAsync"/> looks back when no start is given (default 7 days, at most 366).</summary>
    public TimeSpan RecordingListWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The pull-to-push group relays are created in (<c>GroupName</c>): required when the keys belong to a sub-account.</summary>
    public string? RelayGroupName { get; set; }

    /// <summary>Whether relays may pull from loopback, private and link-local addresses (off by default).</summary>
    public bool AllowPrivateRelayTargets { get; set; }

    /// <summary>
    /// Your own prices (configuration <c>LiveCloud:Volcengine:Prices</c>), laid over the embedded table. No Volcengine list
    /// price is confirmed, so estimates need at least the traffic or a bandwidth price set here.
    /// </summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Required(AccessKeyId, nameof(AccessKeyId));
        check.Required(SecretAccessKey, nameof(SecretAccessKey));
        check.HostName(PushDomain, nameof(PushDomain));
        check.HostName(PlayDomain, nameof(PlayDomain));
        UrlKey(check, PushKey, nameof(PushKey));
        UrlKey(check, PlayKey, nameof(PlayKey));
        check.That(VolcengineNames.IsValidApp(AppName), nameof(AppName), $"must be 1 to 30 letters, digits, '_', '-' or '.'; got '{AppName}'.");
        check.That(Region is { Length: > 0 } && Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'), nameof(Region), $"'{Region}' is not a region name such as cn-north-1.");
        check.HttpUrl(Endpoint, nameof(Endpoint), DefaultEndpoint);
        foreach ((string key, string? value) in new[] { (nameof(PushTimeParameter), PushTimeParameter), (nameof(PushSecretParameter), PushSecretParameter), (nameof(PlayTimeParameter), PlayTimeParameter), (nameof(PlaySecretParameter), PlaySecretParameter) })
        {
            check.That(IsParameterName(value), key, $"must be a URL parameter name of letters, digits, '_' or '-'; got '{value}'.");
        }

        check.That(PushTimeParameter != PushSecretParameter, nameof(PushSecretParameter), $"must differ from {check.PathOf(nameof(PushTimeParameter))}.");
        check.That(PlayTimeParameter != PlaySecretParameter, nameof(PlaySecretParameter), $"must differ from {check.PathOf(nameof(PlayTimeParameter))}.");
        PathSuffix(check, FlvPathSuffix, nameof(FlvPathSuffix), ".flv");
        PathSuffix(check, HlsPathSuffix, nameof(HlsPathSuffix), ".m3u8");
        check.That(Vhost is null || (Vhost.Length is > 0 and <= 253 && Vhost.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')), nameof(Vhost), $"must be a domain space name such as push.example.com; got '{Vhost}'.");

        if (RecordingBaseUrl is not null)
        {
            check.HttpUrl(RecordingBaseUrl, nameof(RecordingBaseUrl), new Uri("https://my-bucket.tos-cn-beijing.volces.com/"));
        }

        check.InRange(CallbackClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(10), nameof(CallbackClockSkew));
        check.InRange(RecordingListWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366), nameof(RecordingListWindow));
        check.That(RelayGroupName is null || RelayGroupName.Length is > 0 and <= 100, nameof(RelayGroupName), "must not be empty when set.");
    }

    /// <summary>Lists the settings, the secrets only as set or not set.</summary>
    public override string ToString() =>
        $"VolcengineOptions {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = {Secret.Mask(SecretAccessKey)}, SessionToken = {Secret.Mask(SessionToken)}, Region = {Region}, Endpoint = {Endpoint}, " +
        $"PushDomain = {PushDomain}, PushKey = {Secret.Mask(PushKey)}, PlayDomain = {PlayDomain}, PlayKey = {Secret.Mask(PlayKey)}, Vhost = {Vhost}, AppName = {AppName}, " +
        $"FlvPathSuffix = {FlvPathSuffix}, HlsPathSuffix = {HlsPathSuffix}, CallbackKey = {Secret.Mask(CallbackKey)}, RecordingBaseUrl = {RecordingBaseUrl}, RelayGroupName = {RelayGroupName} }}";

    // UpdateAuthKey: SecretKey is 1–100 characters of [A-Za-z0-9].
    private static void UrlKey(OptionChecks check, string? key, string name)
    {
        if (string.IsNullOrEmpty(key))
        {
            check.Fail(name, "is required.");
            return;
        }

        check.That(key.Length <= 100 && key.All(char.IsAsciiLetterOrDigit), name, "must be 1 to 100 letters and digits (Volcengine's SecretKey rule).");
    }

    private static bool IsParameterName(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static void PathSuffix(OptionChecks check, string? value, string name, string example)
    {
        if (value is null)
        {
            return;
        }

        check.That(
            value.Length is > 1 and <= 64 && value[0] is '.' or '/' && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-') && !value.Contains("..", StringComparison.Ordinal),
            name,
            $"must start with '.' or '/' and hold only letters, digits, '.', '/', '_' or '-' (e.g. {example}); got '{value}'.");
    }
}
