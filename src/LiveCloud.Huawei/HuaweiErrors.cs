using System.Net;

namespace LiveCloud.Huawei;

/// <summary>
/// Classifies Huawei Cloud error codes — the API gateway's <c>APIGW.*</c>/<c>APIG.*</c> and Live's <c>LIVE.*</c>, from
/// <c>{"error_code": …, "error_msg": …}</c> — for retries and exception types.
/// </summary>
/// <remarks>
/// Sources: the Live API reference's error codes (错误码, https://support.huaweicloud.com/api-live/ ; mirrored at
/// https://huaweicloud.com/guide/productsdesc-bms_3e99b7390e364688ff1538fd5cdae396support0), the API gateway's
/// signing FAQ (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-0001.html) and throttling FAQ
/// (https://support.huaweicloud.com/bpconsole_faq/csdp_apifaq_00001.html). A code not listed is classified by its HTTP
/// status.
/// </remarks>
internal static class HuaweiErrors
{
    /// <summary>The response header carrying the request id.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>The wait Huawei advises after throttling ("retry after 2–5 s") when it sends no <c>Retry-After</c>.</summary>
    public static readonly TimeSpan ThrottledRetryAfter = TimeSpan.FromSeconds(2);

    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "LIVE.100011005", // internal error, "please try again later"
        "LIVE.100011006", // API in maintenance
        "LIVE.100011008", // API in maintenance
        "LIVE.103011021", // failed to access the database
    };

    private static readonly HashSet<string> Authentication = new(StringComparer.Ordinal)
    {
        "LIVE.100011003", // no permission
        "LIVE.100011009", // user does not exist
        "LIVE.100011014", // account not allowed
    };

    private static readonly HashSet<string> Failed = new(StringComparer.Ordinal)
    {
        "LIVE.100011001", // request illegal (a bad parameter)
        "LIVE.100011004", // HTTP not allowed (HTTPS only)
        "LIVE.100011013", // real-name authentication missing
        "LIVE.100011022", // a record task exists (a restart within 10 s of a stop)
        "LIVE.103011018", // the resource exists
        "LIVE.103011020", // domain quota reached
        "LIVE.103011022", // not allowed in the domain's current state
        "LIVE.103011026", // domain blacklisted
        "LIVE.103011027", // domain blacklisted
    };

    /// <summary>The code of "the resource exists" (a create that an earlier attempt already made).</summary>
    public const string ResourceExists = "LIVE.103011018";

    /// <summary>Classifies an error code; by <paramref name="status"/> when there is none or it is not listed.</summary>
    /// <param name="code">The vendor's <c>error_code</c>; <see langword="null"/> when the answer had none.</param>
    /// <param name="status">The HTTP status.</param>
    public static VendorErrorKind Classify(string? code, HttpStatusCode status)
    {
        if (string.IsNullOrEmpty(code))
        {
            return VendorError.KindOf(status);
        }

        // The gateway: APIGW.0308 / APIG.0308 throttling (HTTP 429), APIGW.0301 / APIG.0301 signature or key refused
        // (HTTP 401; five in a row lock the key for five minutes, so never retried).
        if (code.EndsWith(".0308", StringComparison.Ordinal) && IsGateway(code))
        {
            return VendorErrorKind.Throttled;
        }

        if (code.EndsWith(".0301", StringComparison.Ordinal) && IsGateway(code))
        {
            return VendorErrorKind.Authentication;
        }

        if (Transient.Contains(code))
        {
            return VendorErrorKind.Transient;
        }

        if (Authentication.Contains(code))
        {
            return VendorErrorKind.Authentication;
        }

        if (Failed.Contains(code))
        {
            return VendorErrorKind.Failed;
        }

        return VendorError.KindOf(status);
    }

    /// <summary>
    /// The gateway's message without the canonical request it appends to signature failures: that text holds every signed
    /// header's value, a security token among them.
    /// </summary>
    /// <param name="message">The vendor's <c>error_msg</c>.</param>
    public static string? Sanitize(string? message)
    {
        if (message is null)
        {
            return null;
        }

        int at = message.IndexOf("canonicalRequest", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? message : message[..at].TrimEnd(' ', ',', ':', ';', '(') + " (canonical request omitted)";
    }

    private static bool IsGateway(string code) =>
        code.StartsWith("APIGW.", StringComparison.Ordinal) || code.StartsWith("APIG.", StringComparison.Ordinal);
}
