using LiveCloud.Costs;
using LiveCloud.Http;

namespace LiveCloud.Qiniu;

/// <summary>
/// Settings of the Qiniu Pili provider (configuration section <c>LiveCloud:Qiniu</c>). The provider
/// serves one hub: a <see cref="StreamId"/>'s <see cref="StreamId.App"/> is that hub.
/// </summary>
/// <remarks><see cref="ToString"/> never shows <see cref="SecretKey"/>, <see cref="PushKey"/>, <see cref="PlayKey"/> or <see cref="CallbackToken"/>.</remarks>
public sealed class QiniuOptions
{
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

    /// <summary>Retry, timeout and circuit-breaker settings of management calls.</summary>
    public VendorResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// Your own prices (configuration <c>LiveCloud:Qiniu:Prices</c>), laid over the embedded list prices. Qiniu
    /// publishes no live traffic or bandwidth price, so estimates need at least one of those set here.
    /// </summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <summary>Shows the non-secret settings only.</summary>
    public override string ToString() =>
        $"QiniuOptions {{ AccessKey = {AccessKey}, Hub = {Hub}, PushDomain = {PushDomain}, PushSecurity = {PushSecurity}, RtmpPlayDomain = {RtmpPlayDomain}, HlsPlayDomain = {HlsPlayDomain}, FlvPlayDomain = {FlvPlayDomain}, SignedPlay = {!string.IsNullOrEmpty(PlayKey)}, Endpoint = {Endpoint} }}";

    /// <summary>Adds one message per missing or bad key to <paramref name="failures"/>, each naming the full key.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="sectionPath">The section path, e.g. <c>LiveCloud:Qiniu</c>.</param>
    /// <param name="failures">Where the messages go.</param>
    public static void Validate(QiniuOptions options, string sectionPath, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        string key = sectionPath + ":";
        Required(options.AccessKey, key + nameof(AccessKey), failures);
        Required(options.SecretKey, key + nameof(SecretKey), failures);
        if (Required(options.Hub, key + nameof(Hub), failures) && !QiniuNames.IsValidHub(options.Hub))
        {
            failures.Add($"{key}{nameof(Hub)} '{options.Hub}' may hold only letters, digits, '_' and '-' (at most {QiniuNames.MaxHubLength}).");
        }

        if (Required(options.PushDomain, key + nameof(PushDomain), failures))
        {
            Host(options.PushDomain!, key + nameof(PushDomain), failures);
        }

        if (!QiniuUrlSigner.TryParseSecurity(options.PushSecurity, out QiniuPushSecurity security))
        {
            failures.Add($"{key}{nameof(PushSecurity)} must be one of expiry_sk, expiry, static, none; got '{options.PushSecurity}'.");
        }
        else if (security is QiniuPushSecurity.Expiry or QiniuPushSecurity.Static && string.IsNullOrEmpty(options.PushKey))
        {
            failures.Add($"{key}{nameof(PushKey)} is required when {key}{nameof(PushSecurity)} is '{options.PushSecurity}'.");
        }

        foreach ((string? value, string name) in new[] { (options.RtmpPlayDomain, nameof(RtmpPlayDomain)), (options.HlsPlayDomain, nameof(HlsPlayDomain)), (options.FlvPlayDomain, nameof(FlvPlayDomain)) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                Host(value, key + name, failures);
            }
        }

        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key}{nameof(Endpoint)} must be an absolute http(s) URL; got '{options.Endpoint}'.");
        }

        if (options.Resilience is null)
        {
            failures.Add($"{key}{nameof(Resilience)} is required.");
        }
        else
        {
            options.Resilience.Validate(sectionPath, failures);
        }
    }

    private static bool Required(string? value, string key, ICollection<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required.");
            return false;
        }

        return true;
    }

    private static void Host(string value, string key, ICollection<string> failures)
    {
        try
        {
            HostName.Validate(value, key);
        }
        catch (ArgumentException ex)
        {
            failures.Add($"{key}: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
