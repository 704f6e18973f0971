using System.Net;

namespace LiveCloud.Qiniu;

/// <summary>
/// Classifies Qiniu errors for retries and exception types. Qiniu answers an error with an HTTP status, often one of
/// its own 5xx/6xx codes, and the body <c>{"error":"…"}</c>; the request id is the <c>X-Reqid</c> header
/// (https://developer.qiniu.com/kodo/3928/error-responses; docs/vendors/qiniu.md).
/// </summary>
/// <remarks>
/// Permanent: 612 (not found), 614 (already exists), 619 (no live data — Qiniu's SDK would retry it as a 6xx, but for
/// Pili it means the data is missing, not a passing fault), 501/509/579 and the other 6xx. Transient: 573 ("单个资源访问频率过高",
/// throttling) and 429 (throttled), 408 and the other 5xx. 401/403/419 (account frozen) are authentication failures.
/// Messages that name a missing thing (<c>stream not found</c>, <c>hub not found</c>, <c>no such domain</c>) are not-found
/// whatever the status, as Pili's status codes for them are not documented.
/// </remarks>
internal static class QiniuErrors
{
    private static readonly HashSet<string> NotFoundMessages = new(StringComparer.Ordinal)
    {
        "stream not found",
        "hub not found",
        "no such domain",
        "not found",
    };

    /// <summary>The kind of a Qiniu error.</summary>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="error">The <c>error</c> field of its body, where it had one.</param>
    public static VendorErrorKind Classify(HttpStatusCode status, string? error)
    {
        if (error is not null && NotFoundMessages.Contains(error))
        {
            return VendorErrorKind.NotFound;
        }

        return (int)status switch
        {
            429 or 573 => VendorErrorKind.Throttled,
            401 or 403 or 419 => VendorErrorKind.Authentication,
            404 or 612 => VendorErrorKind.NotFound,
            408 => VendorErrorKind.Transient,
            501 or 509 or 579 => VendorErrorKind.Failed,
            >= 500 and < 600 => VendorErrorKind.Transient,
            _ => VendorErrorKind.Failed,
        };
    }
}
