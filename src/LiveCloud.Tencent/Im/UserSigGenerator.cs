namespace LiveCloud.Tencent.Im;

/// <summary>
/// Issues UserSigs (v2, HMAC-SHA256) for one IM app, with the issue time from a <see cref="TimeProvider"/>.
/// <see cref="ToString"/> shows the app id only; the key never leaves this object.
/// </summary>
public sealed class UserSigGenerator
{
    private readonly string _secretKey;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the generator.</summary>
    /// <param name="sdkAppId">The app's SDKAppID.</param>
    /// <param name="secretKey">The app's secret key (console: 应用配置 → 密钥).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public UserSigGenerator(long sdkAppId, string secretKey, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sdkAppId);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        SdkAppId = sdkAppId;
        _secretKey = secretKey;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The app's SDKAppID.</summary>
    public long SdkAppId { get; }

    /// <summary>Issues a UserSig for <paramref name="userId"/>, valid from now for <paramref name="lifetime"/>.</summary>
    /// <param name="userId">The UserID: 1–32 characters from <c>A-Z a-z 0-9 _ -</c>.</param>
    /// <param name="lifetime">How long it is valid: at least one second, at most 50 years (Tencent's documented maximum).</param>
    /// <exception cref="ArgumentException">A bad user id or lifetime.</exception>
    public UserSigTicket Generate(string userId, TimeSpan lifetime)
    {
        UserSig.ValidateIdentifier(userId, nameof(userId));
        long expire = ToSeconds(lifetime, nameof(lifetime));
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long time = now.ToUnixTimeSeconds();
        string sig = UserSig.Create(SdkAppId, _secretKey, userId, time, expire);
        return new UserSigTicket(SdkAppId, userId, sig, DateTimeOffset.FromUnixTimeSeconds(time), DateTimeOffset.FromUnixTimeSeconds(time + expire));
    }

    /// <summary>Shows the app id only.</summary>
    public override string ToString() => $"UserSigGenerator {{ SdkAppId = {SdkAppId} }}";

    internal static long ToSeconds(TimeSpan lifetime, string paramName)
    {
        if (lifetime < TimeSpan.FromSeconds(1) || lifetime > UserSigTicket.MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(paramName, lifetime, $"A UserSig lifetime must be from 1 second to {UserSigTicket.MaxLifetime.TotalDays:0} days.");
        }

        return (long)lifetime.TotalSeconds;
    }
}

/// <summary>A UserSig issued for one user, with the times it is valid between.</summary>
/// <param name="SdkAppId">The app's SDKAppID.</param>
/// <param name="UserId">The UserID it signs in.</param>
/// <param name="UserSig">The UserSig string (a credential: <see cref="ToString"/> hides it).</param>
/// <param name="IssuedAt">When it was issued (whole seconds).</param>
/// <param name="ExpiresAt">The last second it is valid.</param>
public sealed record UserSigTicket(long SdkAppId, string UserId, string UserSig, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>The longest lifetime Tencent documents, 50 years (of 365 days).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(50 * 365);

    /// <summary>Shows everything but the UserSig itself.</summary>
    public override string ToString() =>
        $"UserSigTicket {{ SdkAppId = {SdkAppId}, UserId = {UserId}, UserSig = ***, IssuedAt = {IssuedAt:O}, ExpiresAt = {ExpiresAt:O} }}";
}
