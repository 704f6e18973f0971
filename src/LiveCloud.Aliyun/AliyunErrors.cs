using System.Globalization;
using System.Net;
using System.Text.Json;

namespace LiveCloud.Aliyun;

/// <summary>Reads Aliyun OpenAPI error bodies (<c>{RequestId, HostId, Code, Message, Recommend}</c>) and classifies their codes.</summary>
public static class AliyunErrors
{
    /// <summary>
    /// Classifies an error code (by code, not HTTP status: <c>Throttling.User</c> usually arrives as HTTP 400,
    /// and product pages disagree on the status of the same code).
    /// </summary>
    /// <param name="code">The vendor's <c>Code</c>; <see langword="null"/> when the answer had none.</param>
    /// <param name="status">The HTTP status, used when the code says nothing.</param>
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

        if (code is "ServiceUnavailable" or "InternalError" or "SignatureNonceUsed" || code.StartsWith("ServiceUnavailable", StringComparison.Ordinal) || code.StartsWith("InternalError", StringComparison.Ordinal))
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

    /// <summary>Reads the <c>x-acs-retry-after</c> header: a positive integer of milliseconds (as Alibaba's SDKs read it).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("x-acs-retry-after", out IEnumerable<string>? values)
            && long.TryParse(values.FirstOrDefault()?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms)
            && ms > 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return null;
    }

    /// <summary>Turns an error answer into the typed exception.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="action">The API action.</param>
    /// <param name="response">The answer.</param>
    /// <param name="body">Its body as text (may be empty or not JSON).</param>
    public static LiveCloudException ToException(string provider, string action, HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? code = null, message = null, requestId = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    code = Text(doc.RootElement, "Code") ?? Text(doc.RootElement, "code");
                    message = Text(doc.RootElement, "Message") ?? Text(doc.RootElement, "message");
                    requestId = Text(doc.RootElement, "RequestId") ?? Text(doc.RootElement, "requestId");
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page): classify by status alone.
            }
        }

        if (requestId is null && response.Headers.TryGetValues("x-acs-request-id", out IEnumerable<string>? ids))
        {
            requestId = ids.FirstOrDefault();
        }

        VendorErrorKind kind = Classify(code, response.StatusCode);
        return new VendorError(provider, action, kind, code, message, requestId, response.StatusCode) { RetryAfter = RetryAfter(response) }.ToException();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
