namespace LiveCloud.Tencent;

/// <summary>Classifies Tencent Cloud API error codes (<c>Response.Error.Code</c>) for retries and exception types.</summary>
internal static class TencentErrors
{
    // Only these server faults are worth another attempt: many InternalError.* codes are permanent
    // (InternalError.DomainNotExist, InternalError.InvalidInput…), so the prefix alone proves nothing.
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalError",
        "InternalError.NetworkError",
        "InternalError.SystemError",
        "InternalError.CallOtherSvrError",
        "InternalError.ConnectDbError",
        "InternalError.DBError",
        "InternalError.GetConfigError",
        "InternalError.JiFeiOtherError",
        "InternalError.DomainGslbFail",
        "FailedOperation.DomainGslbFail",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "FailedOperation.StreamNotExist",
        "ResourceUnavailable.StreamNotExist",
        "InternalError.HasNotLivingStream",
        "FailedOperation.HasNotLivingStream",
        "InternalError.DomainNotExist",
        "InternalError.StreamNotExist",
        "InvalidParameter.TaskNotExist",
    };

    /// <summary>The kind of a vendor error code.</summary>
    /// <param name="code">The code, e.g. <c>RequestLimitExceeded</c>.</param>
    public static VendorErrorKind Classify(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.StartsWith("RequestLimitExceeded", StringComparison.Ordinal) || code == "LimitExceeded.RateLimitExceeded")
        {
            return VendorErrorKind.Throttled;
        }

        if (TransientCodes.Contains(code))
        {
            return VendorErrorKind.Transient;
        }

        if (code == "AuthFailure" || code.StartsWith("AuthFailure.", StringComparison.Ordinal))
        {
            return VendorErrorKind.Authentication;
        }

        if (code == "ResourceNotFound" || code.StartsWith("ResourceNotFound.", StringComparison.Ordinal) || NotFoundCodes.Contains(code))
        {
            return VendorErrorKind.NotFound;
        }

        return VendorErrorKind.Failed;
    }
}
