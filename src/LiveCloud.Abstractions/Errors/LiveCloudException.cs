using System.Net;

namespace LiveCloud;

/// <summary>
/// A failure reported by (or on the way to) a vendor. Carries what support needs: provider, vendor error
/// code, request id, HTTP status, and whether trying again later may succeed. Never carries secrets.
/// </summary>
public class LiveCloudException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LiveCloudException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public LiveCloudException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LiveCloudException()
    {
    }

    /// <summary>The provider that failed, e.g. <c>Tencent</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>The vendor's error code, e.g. <c>RequestLimitExceeded</c> or <c>Throttling.User</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The vendor's request id, to quote to its support.</summary>
    public string? RequestId { get; init; }

    /// <summary>The HTTP status of the vendor's answer; <see langword="null"/> when none came.</summary>
    public HttpStatusCode? Status { get; init; }

    /// <summary>Whether the same call may succeed if tried again later (throttling, a 5xx, a timeout).</summary>
    public bool IsTransient { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        string details = $"Provider={Provider}, ErrorCode={ErrorCode}, RequestId={RequestId}, Status={(Status is { } s ? (int)s : null)}, IsTransient={IsTransient}";
        return $"{base.ToString()}{Environment.NewLine}({details})";
    }
}

/// <summary>The vendor refused the credentials or the signature (wrong key, clock skew, missing permission).</summary>
public class LiveCloudAuthenticationException : LiveCloudException
{
    /// <summary>Creates the exception.</summary>
    public LiveCloudAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The domain, stream, task or file does not exist at the vendor.</summary>
public class LiveCloudNotFoundException : LiveCloudException
{
    /// <summary>Creates the exception.</summary>
    public LiveCloudNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The vendor throttled the call. Always transient; <see cref="RetryAfter"/> says when to try, where the vendor says.</summary>
public class LiveCloudThrottledException : LiveCloudException
{
    /// <summary>Creates the exception.</summary>
    public LiveCloudThrottledException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = true;
    }

    /// <summary>How long the vendor asked to wait, where it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The provider's configuration is missing or wrong (the message names the key).</summary>
public class LiveCloudConfigurationException : LiveCloudException
{
    /// <summary>Creates the exception.</summary>
    public LiveCloudConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A callback did not verify (bad signature or token, stale timestamp, unknown stream); answer 401 or 403.</summary>
public class CallbackVerificationException : LiveCloudException
{
    /// <summary>Creates the exception.</summary>
    public CallbackVerificationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A price the vendor's table marks as not confirmed was needed and no override supplies it. The message names
/// the configuration key to set; <see cref="OptionKey"/> holds it.
/// </summary>
public sealed class PriceNotConfirmedException : LiveCloudConfigurationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="optionKey">The configuration key that would supply the price, e.g. <c>LiveCloud:Aliyun:Prices:Transcoding:1080p</c>.</param>
    /// <param name="message">The full message.</param>
    public PriceNotConfirmedException(string optionKey, string message)
        : base(message)
    {
        OptionKey = optionKey;
    }

    /// <summary>The configuration key that would supply the price.</summary>
    public string OptionKey { get; }
}
