using System.Globalization;
using System.Net;

namespace LiveCloud.Aliyun;

/// <summary>
/// Classifies Aliyun OpenAPI error codes (the <c>Code</c> of <c>{RequestId, HostId, Code, Message, Recommend}</c>) for
/// retries and exception types, and reads the <c>x-acs-retry-after</c> header.
/// </summary>
internal static class AliyunErrors
{
    /// <summary>The header Alibaba's SDKs read a throttling delay from: a positive integer of milliseconds.</summary>
    public const string RetryAfterHeader = "x-acs-retry-after";

    /// <summary>The header carrying the request id when the body has none.</summary>
    public const string RequestIdHeader = "x-acs-request-id";

    /// <summary>
    /// Classifies an error code (by code, not HTTP status: <c>Throttling.User</c> usually arrives as HTTP 400,
    /// and product pages disagree on the status of the same code).
    /// </summary>
    /// <param name="code">The vendor's <c>Code</c>; <see langword="null"/> when the answer had none.</param>
    /// <param name="status">The HTTP status, used when the code says nothing (no code, or an unknown code in a 5xx).</param>
    public static VendorErrorKind Classify(string? code, HttpStatusCode status)
    {
        if (string.IsNullOrEmpty(code))
        {
            return VendorError.KindOf(status);
        }

        if (code.StartsWith("Throttling", StringComparison.OrdinalIgnoreCase))
        {
            return VendorErrorKind.Throttled;
        }

        if (code is "SignatureNonceUsed" || code.StartsWith("ServiceUnavailable", StringComparison.Ordinal) || code.StartsWith("InternalError", StringComparison.Ordinal))
        {
            return VendorErrorKind.Transient;
        }

        if (code.StartsWith("InvalidAccessKeyId", StringComparison.Ordinal)
            || code.StartsWith("InvalidSecurityToken", StringComparison.Ordinal)
            || code.StartsWith("InvalidTimeStamp", StringComparison.Ordinal)
            || code.StartsWith("Forbidden", StringComparison.Ordinal)
            || code is "SignatureDoesNotMatch" or "IncompleteSignature" or "InvalidAuthorization")
        {
            return VendorErrorKind.Authentication;
        }

        if (code.Contains("NotFound", StringComparison.OrdinalIgnoreCase) || code.Contains("NotExist", StringComparison.OrdinalIgnoreCase))
        {
            return VendorErrorKind.NotFound;
        }

        if (code.StartsWith("Missing", StringComparison.Ordinal) || code.StartsWith("Invalid", StringComparison.Ordinal))
        {
            return VendorErrorKind.Failed;
        }

        return (int)status >= 500 ? VendorErrorKind.Transient : VendorErrorKind.Failed;
    }

    /// <summary>The <c>x-acs-retry-after</c> delay: a positive integer of milliseconds (as Alibaba's SDKs read it), else <see langword="null"/>.</summary>
    /// <param name="header">The header's value.</param>
    public static TimeSpan? RetryAfter(string? header) =>
        long.TryParse(header?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms is > 0 and <= MaxRetryAfterMs
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    // A day: anything longer is not a retry hint worth following (and keeps TimeSpan far from overflow).
    private const long MaxRetryAfterMs = 24 * 60 * 60 * 1000;
}
