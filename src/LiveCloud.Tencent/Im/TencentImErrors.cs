namespace LiveCloud.Tencent.Im;

/// <summary>Classifies Tencent Cloud IM REST <c>ErrorCode</c>s for retries and exception types.</summary>
internal static class TencentImErrors
{
    /// <summary>Group ID already used (by a group this operator does not own).</summary>
    public const int GroupIdInUse = 10021;

    /// <summary>Group ID already used, and the operator is its owner: "可以直接使用".</summary>
    public const int GroupIdInUseByOperator = 10025;

    /// <summary>The group does not exist, or existed and was dismissed.</summary>
    public const int GroupDismissed = 10010;

    /// <summary>No group has that ID.</summary>
    public const int GroupNotFound = 10015;

    // 70001 UserSig expired; 70003 UserSig truncated/unparsable; 70009 wrong key or SDKAppID; 70013 UserID ≠ the sig's;
    // 70014 SDKAppID ≠ the sig's; 60010 the call needs an App admin.
    private static readonly HashSet<int> AuthenticationCodes = [70001, 70003, 70009, 70013, 70014, 60010];

    // 10006 operation rate limit; 10023 message rate limit (tim-error-message: 操作频率限制 / 发消息的频率超限).
    private static readonly HashSet<int> ThrottledCodes = [10006, 10023];

    // 10002 server internal error, "请重试".
    private static readonly HashSet<int> TransientCodes = [10002];

    private static readonly HashSet<int> NotFoundCodes = [GroupDismissed, GroupNotFound];

    /// <summary>The kind of an IM <c>ErrorCode</c>.</summary>
    /// <param name="code">The code, e.g. <c>70001</c>.</param>
    public static VendorErrorKind Classify(int code) =>
        AuthenticationCodes.Contains(code) ? VendorErrorKind.Authentication
        : ThrottledCodes.Contains(code) ? VendorErrorKind.Throttled
        : TransientCodes.Contains(code) ? VendorErrorKind.Transient
        : NotFoundCodes.Contains(code) ? VendorErrorKind.NotFound
        : VendorErrorKind.Failed;
}
