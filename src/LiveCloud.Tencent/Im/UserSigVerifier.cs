using System.Security.Cryptography;
using System.Text;

namespace LiveCloud.Tencent.Im;

/// <summary>Why a UserSig was refused.</summary>
public enum UserSigFailure
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Not a UserSig: bad alphabet, not zlib, not the expected JSON document, or a version other than 2.0.</summary>
    Malformed,

    /// <summary>Issued for another SDKAppID (Tencent: 70014).</summary>
    WrongSdkAppId,

    /// <summary>Issued for another UserID (Tencent: 70013).</summary>
    WrongIdentifier,

    /// <summary>Past <c>TLS.time + TLS.expire</c> (Tencent: 70001).</summary>
    Expired,

    /// <summary>Has a userbuf where none was expected, or lacks one that was.</summary>
    UserBufMismatch,

    /// <summary><c>TLS.sig</c> does not match the content: tampered with, or signed with another key (Tencent: 70009).</summary>
    BadSignature,
}

/// <summary>The outcome of <see cref="UserSigVerifier.Verify"/>.</summary>
/// <param name="Failure">Why it was refused; <see cref="UserSigFailure.None"/> when accepted.</param>
/// <param name="Reason">A sentence saying why (never holding the key or the signature).</param>
/// <param name="Document">The decoded document, when it could be decoded.</param>
public sealed record UserSigVerification(UserSigFailure Failure, string Reason, UserSigDocument? Document)
{
    /// <summary>Whether the UserSig was accepted.</summary>
    public bool IsValid => Failure == UserSigFailure.None;
}

/// <summary>
/// Checks UserSigs (v2, HMAC-SHA256) of one IM app the way Tencent's reference <c>VerifyUserSig</c> does: decode,
/// require the app id and user id, refuse when now &gt; time + expire (by the <see cref="TimeProvider"/>), require
/// userbuf presence as expected, and compare the recomputed HMAC in constant time.
/// </summary>
public sealed class UserSigVerifier
{
    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the verifier.</summary>
    /// <param name="sdkAppId">The app's SDKAppID.</param>
    /// <param name="secretKey">The app's secret key.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public UserSigVerifier(long sdkAppId, string secretKey, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sdkAppId);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        SdkAppId = sdkAppId;
        _key = Encoding.UTF8.GetBytes(secretKey);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The app's SDKAppID.</summary>
    public long SdkAppId { get; }

    /// <summary>Checks <paramref name="userSig"/> for <paramref name="userId"/>.</summary>
    /// <param name="userSig">The UserSig string.</param>
    /// <param name="userId">The UserID it must have been issued for.</param>
    /// <param name="expectUserBuf">Whether it must carry a userbuf (TRTC PrivateMapKey); IM logins carry none.</param>
    public UserSigVerification Verify(string userSig, string userId, bool expectUserBuf = false)
    {
        ArgumentNullException.ThrowIfNull(userSig);
        ArgumentNullException.ThrowIfNull(userId);

        UserSigDocument document;
        try
        {
            document = UserSig.Decode(userSig);
        }
        catch (FormatException ex)
        {
            return new UserSigVerification(UserSigFailure.Malformed, ex.Message, null);
        }

        if (document.Version != UserSig.Version)
        {
            return Refuse(UserSigFailure.Malformed, $"The UserSig has version '{document.Version}'; only {UserSig.Version} (HMAC-SHA256) is supported.");
        }

        if (document.SdkAppId != SdkAppId)
        {
            return Refuse(UserSigFailure.WrongSdkAppId, $"The UserSig was issued for SDKAppID {document.SdkAppId}, not {SdkAppId}.");
        }

        if (!string.Equals(document.Identifier, userId, StringComparison.Ordinal))
        {
            return Refuse(UserSigFailure.WrongIdentifier, $"The UserSig was issued for UserID '{document.Identifier}', not '{userId}'.");
        }

        if (document.Time < 0 || document.Expire <= 0 || document.Time > long.MaxValue - document.Expire)
        {
            return Refuse(UserSigFailure.Malformed, "The UserSig's TLS.time or TLS.expire is out of range.");
        }

        long now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (now > document.Time + document.Expire)
        {
            return Refuse(UserSigFailure.Expired, $"The UserSig expired at {document.ExpiresAt:O} (issued {document.IssuedAt:O} for {document.Expire} s).");
        }

        if (expectUserBuf != (document.UserBuf is not null))
        {
            return Refuse(UserSigFailure.UserBufMismatch, expectUserBuf ? "The UserSig has no userbuf, but one was expected." : "The UserSig has a userbuf, but none was expected.");
        }

        byte[] expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(document.Content));
        byte[] actual = new byte[32];
        bool decoded = Convert.TryFromBase64String(document.Signature, actual, out int written) && written == actual.Length;
        if (!CryptographicOperations.FixedTimeEquals(expected, actual) || !decoded)
        {
            return Refuse(UserSigFailure.BadSignature, "The UserSig's signature does not match its content: it was altered or signed with another key.");
        }

        return new UserSigVerification(UserSigFailure.None, "Valid.", document);

        UserSigVerification Refuse(UserSigFailure failure, string reason) => new(failure, reason, document);
    }

    /// <summary>Shows the app id only.</summary>
    public override string ToString() => $"UserSigVerifier {{ SdkAppId = {SdkAppId} }}";
}
