using System.Net;

namespace LiveCloud.Nginx;

/// <summary>
/// Classifies nginx's answers to <c>/stat</c> and <c>/control</c>. nginx has no error envelope: it answers by HTTP
/// status only (404 for a control path it does not know, 429 or 503 from a rate limit in front of it, 5xx when it is
/// in trouble), so the status is the code.
/// </summary>
internal static class NginxErrors
{
    /// <summary>The kind of an error status: 404 not found, 401/403 refused, 429 throttled, 408 and 5xx transient.</summary>
    /// <param name="status">The HTTP status nginx answered.</param>
    public static VendorErrorKind Classify(HttpStatusCode status) => VendorError.KindOf(status);
}
