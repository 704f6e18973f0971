using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Json;

namespace LiveCloud.LiveRooms.Chat;

/// <summary>Who a valid viewer chat token speaks for.</summary>
/// <param name="RoomId">The room it was issued for.</param>
/// <param name="UserId">The viewer's id (random, per token).</param>
/// <param name="Nickname">The nickname the viewer chose.</param>
/// <param name="ExpiresAt">When it stops being accepted.</param>
public sealed record ChatViewer(string RoomId, string UserId, string Nickname, DateTimeOffset ExpiresAt);

/// <summary>
/// Signed, expiring viewer chat tokens: <c>base64url(payload JSON) "." base64url(HMAC-SHA256(key, payload))</c>, the
/// payload holding the room id, a random viewer id, the nickname and the expiry. No account and no storage: the
/// signature is the proof. Verified in constant time.
/// </summary>
public sealed class ChatTokens
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Creates the issuer/verifier.</summary>
    /// <param name="key">The signing key (at least 32 characters).</param>
    /// <param name="time">The clock.</param>
    public ChatTokens(string key, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        if (key.Length < 32)
        {
            throw new ArgumentException($"The chat signing key must be at least 32 characters; got {key.Length}.", nameof(key));
        }

        _key = Encoding.UTF8.GetBytes(key);
        _time = time;
    }

    /// <summary>Issues a token for a new viewer of <paramref name="roomId"/>.</summary>
    public (string Token, ChatViewer Viewer) Issue(string roomId, string nickname, TimeSpan lifetime)
    {
        var viewer = new ChatViewer(roomId, "v_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), nickname, _time.GetUtcNow().Add(lifetime));
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(viewer.RoomId, viewer.UserId, viewer.Nickname, viewer.ExpiresAt.ToUnixTimeSeconds()));
        string token = Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
        return (token, viewer with { ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(viewer.ExpiresAt.ToUnixTimeSeconds()) });
    }

    /// <summary>Whether <paramref name="token"/> looks like a chat token (a host token has no dot).</summary>
    public static bool IsChatToken(string token) => token.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// Checks a token for <paramref name="roomId"/>: the viewer, or why not (<c>malformed</c>, <c>bad signature</c>,
    /// <c>expired</c>, <c>for another room</c>). The reason never echoes the token.
    /// </summary>
    public ChatViewer? Verify(string token, string roomId, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(token);
        int dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > 2048 || dot <= 0 || dot != token.LastIndexOf('.') || !TryDecode(token[..dot], out byte[]? payload) || !TryDecode(token[(dot + 1)..], out byte[]? signature))
        {
            failure = "malformed";
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), signature))
        {
            failure = "bad signature";
            return null;
        }

        Payload? claims;
        try
        {
            using JsonDocument document = JsonFields.Parse(payload);
            claims = document.RootElement.Deserialize<Payload>();
        }
        catch (JsonException)
        {
            claims = null;
        }

        if (claims is null || claims.R is null || claims.V is null || claims.N is null)
        {
            failure = "malformed";
            return null;
        }

        if (DateTimeOffset.FromUnixTimeSeconds(claims.E) <= _time.GetUtcNow())
        {
            failure = "expired";
            return null;
        }

        if (!string.Equals(claims.R, roomId, StringComparison.Ordinal))
        {
            failure = "for another room";
            return null;
        }

        failure = null;
        return new ChatViewer(claims.R, claims.V, claims.N, DateTimeOffset.FromUnixTimeSeconds(claims.E));
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, bytes, out int consumed, out int written) != System.Buffers.OperationStatus.Done || consumed != text.Length)
        {
            bytes = [];
            return false;
        }

        bytes = bytes[..written];
        return true;
    }

    private sealed record Payload(string R, string V, string N, long E);
}
