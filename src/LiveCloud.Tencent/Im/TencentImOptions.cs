using LiveCloud.Http;

namespace LiveCloud.Tencent.Im;

/// <summary>
/// Settings of Tencent Cloud IM (configuration section <c>Chat:Tencent</c> at the configuration root).
/// <see cref="ToString"/> never shows <see cref="SecretKey"/>.
/// </summary>
public sealed class TencentImOptions
{
    /// <summary>The configuration section, <c>Chat:Tencent</c>.</summary>
    public const string SectionName = "Chat:Tencent";

    /// <summary>The name of its vendor pipeline and HTTP client, <c>TencentIm</c>.</summary>
    public const string ProviderName = "TencentIm";

    /// <summary>The default REST endpoint (China), <c>https://console.tim.qq.com/</c>.</summary>
    /// <remarks>Other regions: <c>https://adminapisgp.im.qcloud.com/</c> (Singapore), <c>adminapikr</c> (Seoul), <c>adminapiger</c> (Frankfurt), <c>adminapiusa</c> (Silicon Valley), <c>adminapiidn</c> (Jakarta).</remarks>
    public static readonly Uri DefaultEndpoint = new("https://console.tim.qq.com/");

    /// <summary>The app's SDKAppID from the IM console. Required.</summary>
    public long SdkAppId { get; set; }

    /// <summary>The app's secret key from the IM console. Required; never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>An App admin account (set in the console) that the REST API calls are made as. Required.</summary>
    public string? AdminIdentifier { get; set; }

    /// <summary>The REST endpoint; <see cref="DefaultEndpoint"/> unless another region or an emulator is used.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// How long the UserSigs handed to clients (and the cached admin UserSig) are valid (default 1 day; from
    /// 1 minute to 50 years). Tencent recommends no less than 24 h for client logins.
    /// </summary>
    public TimeSpan UserSigExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Retry, timeout and circuit-breaker settings of the REST calls.</summary>
    public VendorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Adds a message per missing or bad key to <paramref name="failures"/>, each naming the full key under <paramref name="path"/>.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="path">The section path, e.g. <c>Chat:Tencent</c>.</param>
    /// <param name="failures">Where messages go.</param>
    public static void Validate(TencentImOptions options, string path, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        if (options.SdkAppId <= 0)
        {
            failures.Add($"{path}:{nameof(SdkAppId)} is required (the positive SDKAppID from the IM console).");
        }

        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            failures.Add($"{path}:{nameof(SecretKey)} is required.");
        }

        if (string.IsNullOrWhiteSpace(options.AdminIdentifier))
        {
            failures.Add($"{path}:{nameof(AdminIdentifier)} is required (an App admin account set in the IM console).");
        }
        else if (!UserSig.IsValidIdentifier(options.AdminIdentifier))
        {
            failures.Add($"{path}:{nameof(AdminIdentifier)} '{options.AdminIdentifier}' must be 1 to {UserSig.MaxIdentifierLength} characters from A-Z a-z 0-9 _ -.");
        }

        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri || (options.Endpoint.Scheme != Uri.UriSchemeHttps && options.Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{path}:{nameof(Endpoint)} must be an absolute http(s) URL such as {DefaultEndpoint}.");
        }

        if (options.UserSigExpiry < TimeSpan.FromMinutes(1) || options.UserSigExpiry > UserSigTicket.MaxLifetime)
        {
            failures.Add($"{path}:{nameof(UserSigExpiry)} must be from 1 minute to {UserSigTicket.MaxLifetime.TotalDays:0} days; got {options.UserSigExpiry}.");
        }

        if (options.Resilience is null)
        {
            failures.Add($"{path}:{nameof(Resilience)} is required.");
        }
        else
        {
            options.Resilience.Validate(path, failures);
        }
    }

    /// <summary>Shows the non-secret settings; the key appears only as whether it is set.</summary>
    public override string ToString() =>
        $"TencentImOptions {{ SdkAppId = {SdkAppId}, SecretKey = {(string.IsNullOrEmpty(SecretKey) ? "(not set)" : "***")}, AdminIdentifier = {AdminIdentifier}, Endpoint = {Endpoint}, UserSigExpiry = {UserSigExpiry} }}";
}
