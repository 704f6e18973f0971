using LiveCloud.Costs;
using LiveCloud.Http;

namespace LiveCloud.Tencent;

/// <summary>
/// Settings of the Tencent Cloud Live provider (configuration section <c>LiveCloud:Tencent</c>).
/// <see cref="ToString"/> never shows the secrets (<see cref="SecretKey"/>, the URL keys, <see cref="CallbackKey"/>, <see cref="SessionToken"/>).
/// </summary>
public sealed class TencentOptions
{
    /// <summary>The provider's name and configuration section name, <c>Tencent</c>.</summary>
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

    /// <summary>The API endpoint; <see cref="DefaultEndpoint"/> unless a test points it at an emulator.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Retry, timeout and circuit-breaker settings of API calls.</summary>
    public VendorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Your own prices (configuration <c>LiveCloud:Tencent:Prices</c>), laid over the embedded list prices.</summary>
    public PriceOverrides Prices { get; set; } = new();

    /// <summary>Adds a message per missing or bad key to <paramref name="failures"/>, each naming the full key under <paramref name="path"/>.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="path">The section path, e.g. <c>LiveCloud:Tencent</c>.</param>
    /// <param name="failures">Where messages go.</param>
    public static void Validate(TencentOptions options, string path, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        Required(options.SecretId, nameof(SecretId));
        Required(options.SecretKey, nameof(SecretKey));
        Required(options.PushKey, nameof(PushKey));
        Required(options.PlayKey, nameof(PlayKey));
        Host(options.PushDomain, nameof(PushDomain));
        Host(options.PlayDomain, nameof(PlayDomain));
        if (options.UseBackupKeys)
        {
            Required(options.BackupPushKey, nameof(BackupPushKey), $" when {path}:{nameof(UseBackupKeys)} is true");
            Required(options.BackupPlayKey, nameof(BackupPlayKey), $" when {path}:{nameof(UseBackupKeys)} is true");
        }

        if (!StreamId.IsValidPart(options.AppName))
        {
            failures.Add($"{path}:{nameof(AppName)} '{options.AppName}' may hold only letters, digits, '_', '-', '.' and '='.");
        }

        if (options.Region is { Length: > 0 } region && !region.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            failures.Add($"{path}:{nameof(Region)} '{region}' is not a region name such as ap-guangzhou.");
        }

        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri || (options.Endpoint.Scheme != Uri.UriSchemeHttps && options.Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{path}:{nameof(Endpoint)} must be an absolute http(s) URL such as {DefaultEndpoint}.");
        }

        if (options.CallbackClockSkew < TimeSpan.Zero || options.CallbackClockSkew > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{path}:{nameof(CallbackClockSkew)} must be from 0 to 10 minutes; got {options.CallbackClockSkew}.");
        }

        if (options.Resilience is null)
        {
            failures.Add($"{path}:{nameof(Resilience)} is required.");
        }
        else
        {
            options.Resilience.Validate(path, failures);
        }

        void Required(string? value, string key, string when = "")
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{path}:{key} is required{when}.");
            }
        }

        void Host(string? value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{path}:{key} is required.");
                return;
            }

            try
            {
                HostName.Validate(value, key);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{path}:{key} is not a host name: {ex.Message}");
            }
        }
    }

    /// <summary>Shows the non-secret settings; secrets appear only as whether they are set.</summary>
    public override string ToString() =>
        $"TencentOptions {{ SecretId = {SecretId}, SecretKey = {Mask(SecretKey)}, Region = {Region}, PushDomain = {PushDomain}, PushKey = {Mask(PushKey)}, " +
        $"PlayDomain = {PlayDomain}, PlayKey = {Mask(PlayKey)}, BackupPushKey = {Mask(BackupPushKey)}, BackupPlayKey = {Mask(BackupPlayKey)}, UseBackupKeys = {UseBackupKeys}, " +
        $"AppName = {AppName}, UseHttpsPlayback = {UseHttpsPlayback}, CallbackKey = {Mask(CallbackKey)}, SessionToken = {Mask(SessionToken)}, Endpoint = {Endpoint} }}";

    private static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "***";
}
