using System.Net;

namespace LiveCloud.Volcengine;

/// <summary>
/// Classifies Volcengine OpenAPI errors (<c>ResponseMetadata.Error.Code</c>, with its number <c>CodeN</c>) for retries and
/// exception types. Sources: the common error codes page (docs/6469/1126806) and the per-action tables of the Live API
/// (KillStream, UpdateDomainVhost); see docs/vendors/volcengine.md.
/// </summary>
internal static class VolcengineErrors
{
    // Common codes: InternalError 100014 / HTTP 500, InternalServiceTimeout 100016; Live's "CommonErr" (HTTP 200,
    // "未分类错误。建议重试": unclassified, retry advised).
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "CommonErr",
        "InternalError",
        "InternalServiceTimeout",
        "ServiceUnavailable",
    };

    // Common codes: InvalidAccessKey 100009/401, SignatureDoesNotMatch 100010/401, InvalidTimestamp 100006/400 (a signing
    // clock off by more than the service accepts), AccessDenied 100013/403; other Volcengine products' common codes add
    // the rest. RequestForbidden(.*) is Live's 403.
    private static readonly HashSet<string> AuthenticationCodes = new(StringComparer.Ordinal)
    {
        "InvalidAccessKey",
        "SignatureDoesNotMatch",
        "InvalidTimestamp",
        "AccessDenied",
        "InvalidAuthorization",
        "InvalidCredential",
        "MissingAuthenticationToken",
        "MissingSignature",
        "InvalidSecretToken",
        "LackProjectPolicy",
    };

    /// <summary>The number the common-codes page gives throttling, per third-party code only (see <see cref="Classify"/>).</summary>
    public const long FlowLimitCodeN = 100018;

    /// <summary>The kind of a vendor error.</summary>
    /// <param name="code">The error code, e.g. <c>SignatureDoesNotMatch</c>; <see langword="null"/> when the answer had none.</param>
    /// <param name="codeN">The error number (<c>CodeN</c>), when given.</param>
    /// <param name="status">The HTTP status, used when the code says nothing.</param>
    /// <remarks>
    /// Volcengine's throttling code is not in its retrieved pages: <c>FlowLimitExceeded</c> (<c>CodeN</c> 100018) is what
    /// third-party code asserts, so it and HTTP 429 count as throttled; that only lets a READ be retried, never a write.
    /// </remarks>
    public static VendorErrorKind Classify(string? code, long? codeN, HttpStatusCode status)
    {
        if (codeN == FlowLimitCodeN || code is "FlowLimitExceeded" || (code is not null && code.StartsWith("FlowLimitExceeded.", StringComparison.Ordinal)))
        {
            return VendorErrorKind.Throttled;
        }

        if (string.IsNullOrEmpty(code))
        {
            return VendorError.KindOf(status);
        }

        if (TransientCodes.Contains(code))
        {
            return VendorErrorKind.Transient;
        }

        if (AuthenticationCodes.Contains(code) || code == "RequestForbidden" || code.StartsWith("RequestForbidden.", StringComparison.Ordinal))
        {
            return VendorErrorKind.Authentication;
        }

        if (code.Contains("NotFound", StringComparison.OrdinalIgnoreCase) || code.Contains("NotExist", StringComparison.OrdinalIgnoreCase))
        {
            return VendorErrorKind.NotFound;
        }

        // InvalidParam.*, MissingParameter, InvalidActionOrVersion (HTTP 404, but a wrong action, not a missing thing)…
        return (int)status >= 500 ? VendorErrorKind.Transient : status == HttpStatusCode.TooManyRequests ? VendorErrorKind.Throttled : VendorErrorKind.Failed;
    }
}
