using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LiveCloud.Signing;

namespace LiveCloud.WeChat;

/// <summary>
/// WeChat's message-push signature and safe-mode decryption (the WXBizMsgCrypt scheme): <c>signature</c> =
/// SHA-1 of the Token, timestamp and nonce sorted and joined; <c>msg_signature</c> the same with the <c>Encrypt</c> text
/// added; the message is AES-256-CBC under the decoded EncodingAESKey with the key's first 16 bytes as IV, padded
/// (PKCS#7) to a multiple of 32 bytes, and reads 16 random bytes ‖ 4-byte big-endian length ‖ message ‖ AppID.
/// SHA-1 and the fixed IV are WeChat's choice, not a design choice here.
/// </summary>
/// <remarks>
/// Sources: <see href="https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html">message push</see>,
/// <see href="https://developers.weixin.qq.com/doc/oplatform/developers/dev/push/encryption.html">message encryption</see>;
/// the test vectors are in docs/vendors/wechat-live.md.
/// </remarks>
internal static class WeChatMessageCrypto
{
    /// <summary>The length of an EncodingAESKey.</summary>
    public const int EncodingAesKeyLength = 43;

    private const int AesKeySize = 32;
    private const int RandomPrefix = 16;
    private const int PadBlock = 32;

    /// <summary>Decodes an EncodingAESKey (43 base64 characters without the trailing <c>=</c>) into the 32-byte AES key.</summary>
    /// <param name="encodingAesKey">The key as configured.</param>
    /// <param name="key">The AES key, when it decodes.</param>
    public static bool TryDecodeKey(string? encodingAesKey, out byte[] key)
    {
        key = [];
        if (encodingAesKey is not { Length: EncodingAesKeyLength })
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[AesKeySize + 1];
        if (!Convert.TryFromBase64String(encodingAesKey + "=", decoded, out int written) || written != AesKeySize)
        {
            return false;
        }

        key = decoded[..AesKeySize].ToArray();
        return true;
    }

    /// <summary>The lower-case hex SHA-1 of <paramref name="parts"/> sorted (ordinal) and joined.</summary>
    /// <param name="parts">Token, timestamp, nonce and, for <c>msg_signature</c>, the <c>Encrypt</c> text.</param>
    public static string Signature(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        Span<byte> hash = stackalloc byte[VendorHashes.Sha1Size];
        Hash(parts, hash);
        return VendorHashes.ToLowerHex(hash);
    }

    /// <summary>Writes the SHA-1 of <paramref name="parts"/> sorted (ordinal) and joined into <paramref name="hash"/>.</summary>
    /// <param name="parts">The parts; sorted in place.</param>
    /// <param name="hash">At least 20 bytes.</param>
    public static void Hash(string[] parts, Span<byte> hash)
    {
        Array.Sort(parts, StringComparer.Ordinal);
        byte[] joined = Encoding.UTF8.GetBytes(string.Concat(parts));
#pragma warning disable CA5350 // WeChat's message-push signature is SHA-1 by its protocol; nothing else may use it.
        SHA1.HashData(joined, hash);
#pragma warning restore CA5350
    }

    /// <summary>Decrypts a safe-mode <c>Encrypt</c> text.</summary>
    /// <param name="key">The 32-byte AES key.</param>
    /// <param name="encrypt">The base64 <c>Encrypt</c> text.</param>
    /// <param name="message">The message (JSON or XML), when it decrypts.</param>
    /// <param name="appId">The AppID the message was encrypted for, when it decrypts.</param>
    /// <returns>Why it did not decrypt, or <see langword="null"/> when it did.</returns>
    public static string? TryDecrypt(byte[] key, string encrypt, out string message, out string appId)
    {
        message = appId = string.Empty;
        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypt);
        }
        catch (FormatException)
        {
            return "Encrypt is not base64";
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            return "Encrypt is not a whole number of AES blocks";
        }

        byte[] plain;
        using (Aes aes = Aes.Create())
        {
            aes.Key = key;
            plain = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
        }

        try
        {
            int pad = plain[^1];
            if (pad is < 1 or > PadBlock || pad > plain.Length || plain.AsSpan(plain.Length - pad).IndexOfAnyExcept((byte)pad) >= 0)
            {
                return "the decrypted message's padding is wrong (another EncodingAESKey?)";
            }

            ReadOnlySpan<byte> content = plain.AsSpan(0, plain.Length - pad);
            if (content.Length < RandomPrefix + 4)
            {
                return "the decrypted message is too short";
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(RandomPrefix, 4));
            ReadOnlySpan<byte> rest = content[(RandomPrefix + 4)..];
            if (length > (uint)rest.Length)
            {
                return "the decrypted message's length is wrong";
            }

            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            message = strict.GetString(rest[..(int)length]);
            appId = strict.GetString(rest[(int)length..]);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return "the decrypted message is not UTF-8";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
