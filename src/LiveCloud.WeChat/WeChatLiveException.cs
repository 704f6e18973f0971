namespace LiveCloud.WeChat;

/// <summary>
/// WeChat answered with an error code (<c>errcode</c>), or a write's outcome is uncertain. The message says what the code
/// means for this call (for the codes WeChat documents for live rooms, in plain words) and never holds a secret or token.
/// </summary>
public class WeChatLiveException : LiveCloudException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WeChatLiveException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>WeChat's <c>errcode</c>; <see langword="null"/> when no code came (a timeout, a dropped connection).</summary>
    public long? ErrCode { get; init; }

    /// <summary>How LiveCloud classifies the code (authentication, not found, transient…).</summary>
    public VendorErrorKind Kind { get; init; }

    /// <summary>The room the call was about, where it was about one.</summary>
    public long? RoomId { get; init; }

    /// <summary>For 300036 (anchor not real-name verified): the QR code the anchor scans to verify.</summary>
    public Uri? QrCodeUrl { get; init; }
}

/// <summary>
/// 45009: a daily call quota of the mini-program is used up. Trying again the same day does not help; WeChat resets the
/// count daily (or at once with its <c>clear_quota</c> API).
/// </summary>
public sealed class WeChatQuotaExceededException : WeChatLiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WeChatQuotaExceededException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A write (create, edit, delete, a toggle) got no clear answer — a timeout, a dropped connection, WeChat's <c>-1 system
/// error</c> — and WeChat documents such writes taking effect anyway. The write was not repeated; the room list was read
/// back, and <see cref="Outcome"/> and <see cref="Rooms"/> say what it showed.
/// </summary>
public sealed class WeChatUncertainWriteException : WeChatLiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, saying what the read-back found.</param>
    /// <param name="innerException">The failure of the write.</param>
    public WeChatUncertainWriteException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the change shows in the room list.</summary>
    public WeChatWriteOutcome Outcome { get; init; }

    /// <summary>The rooms the read-back found for this write (for a create: every room matching it, so duplicates show).</summary>
    public IReadOnlyList<WeChatRoom> Rooms { get; init; } = [];
}
