using LiveCloud.Configuration;

namespace LiveCloud.Tencent.Im;

/// <summary>
/// Settings of Tencent Cloud IM (configuration section <c>Chat:Tencent</c> at the configuration root).
/// <see cref="ToString"/> never shows <see cref="SecretKey"/>.
/// </summary>
public sealed class TencentImOptions : VendorOptions
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

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.That(SdkAppId > 0, nameof(SdkAppId), "is required (the positive SDKAppID from the IM console).");
        check.Required(SecretKey, nameof(SecretKey));
        if (string.IsNullOrWhiteSpace(AdminIdentifier))
        {
            check.Fail(nameof(AdminIdentifier), "is required (an App admin account set in the IM console).");
        }
        else
        {
            check.That(UserSig.IsValidIdentifier(AdminIdentifier), nameof(AdminIdentifier), $"'{AdminIdentifier}' must be 1 to {UserSig.MaxIdentifierLength} characters from A-Z a-z 0-9 _ -.");
        }

        check.HttpUrl(Endpoint, nameof(Endpoint), DefaultEndpoint);
        check.That(
            UserSigExpiry >= TimeSpan.FromMinutes(1) && UserSigExpiry <= UserSigTicket.MaxLifetime,
            nameof(UserSigExpiry),
            $"must be from 1 minute to {UserSigTicket.MaxLifetime.TotalDays:0} days; got {UserSigExpiry}.");
    }

    /// <summary>Shows the non-secret settings; the key appears only as whether it is set.</summary>
    public override string ToString() =>
        $"TencentImOptions {{ SdkAppId = {SdkAppId}, SecretKey = {Secret.Mask(SecretKey)}, AdminIdentifier = {AdminIdentifier}, Endpoint = {Endpoint}, UserSigExpiry = {UserSigExpiry} }}";
}
