using System.Net;

namespace LiveCloud;

/// <summary>How an adapter classifies a vendor error code; <see cref="VendorError.ToException"/> picks the exception type from it.</summary>
public enum VendorErrorKind
{
    /// <summary>A permanent failure with no more specific type (bad parameter, unsupported operation…).</summary>
    Failed,

    /// <summary>A server-side fault that may pass (5xx, <c>InternalError</c>, <c>ServiceUnavailable</c>).</summary>
    Transient,

    /// <summary>Rate limited (429, <c>RequestLimitExceeded</c>, <c>Throttling.User</c>).</summary>
    Throttled,

    /// <summary>Credentials or signature refused.</summary>
    Authentication,

    /// <summary>The thing asked about does not exist.</summary>
    NotFound,
}

/// <summary>A parsed vendor error, turned into the typed exception callers catch.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Operation">The vendor action that failed.</param>
/// <param name="Kind">The adapter's classification.</param>
/// <param name="Code">The vendor's error code.</param>
/// <param name="Message">The vendor's message.</param>
/// <param name="RequestId">The vendor's request id.</param>
/// <param name="Status">The HTTP status of the answer.</param>
public readonly record struct VendorError(string Provider, string Operation, VendorErrorKind Kind, string? Code, string? Message, string? RequestId, HttpStatusCode? Status)
{
    /// <summary>How long the vendor asked to wait before retrying, where it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The classification most vendors' HTTP statuses imply, for answers without a usable error code.</summary>
    public static VendorErrorKind KindOf(HttpStatusCode status) => (int)status switch
    {
        429 => VendorErrorKind.Throttled,
        401 or 403 => VendorErrorKind.Authentication,
        404 => VendorErrorKind.NotFound,
        408 or >= 500 => VendorErrorKind.Transient,
        _ => VendorErrorKind.Failed,
    };

    /// <summary>Creates the typed exception for this error.</summary>
    public LiveCloudException ToException()
    {
        string text = $"{Provider} {Operation} failed: {Code ?? (Status is { } s ? $"HTTP {(int)s}" : "error")}{(string.IsNullOrEmpty(Message) ? "" : " — " + Message)}{(RequestId is null ? "" : $" (request id {RequestId})")}";
        return Kind switch
        {
            VendorErrorKind.Throttled => new LiveCloudThrottledException(text) { Provider = Provider, ErrorCode = Code, RequestId = RequestId, Status = Status, RetryAfter = RetryAfter },
            VendorErrorKind.Authentication => new LiveCloudAuthenticationException(text) { Provider = Provider, ErrorCode = Code, RequestId = RequestId, Status = Status },
            VendorErrorKind.NotFound => new LiveCloudNotFoundException(text) { Provider = Provider, ErrorCode = Code, RequestId = RequestId, Status = Status },
            VendorErrorKind.Transient => new LiveCloudException(text) { Provider = Provider, ErrorCode = Code, RequestId = RequestId, Status = Status, IsTransient = true },
            _ => new LiveCloudException(text) { Provider = Provider, ErrorCode = Code, RequestId = RequestId, Status = Status },
        };
    }
}
