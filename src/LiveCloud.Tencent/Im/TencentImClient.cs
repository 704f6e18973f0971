using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveCloud.Http;
using LiveCloud.Json;

namespace LiveCloud.Tencent.Im;

/// <summary>
/// The Tencent Cloud IM REST calls a live room needs — create its <c>AVChatRoom</c> group, dismiss it, post a text
/// message — sent as the App admin through the shared <see cref="VendorHttpPipeline"/>, plus the UserSigs clients
/// log in with.
/// </summary>
/// <remarks>
/// <para>Every request is <c>POST {Endpoint}v4/group_open_http_svc/{command}?sdkappid=&amp;identifier=&amp;usersig=&amp;random=&amp;contenttype=json</c>
/// with a fresh 32-bit <c>random</c> per attempt; the admin UserSig is cached and re-issued once half its lifetime has passed.
/// Answers are HTTP 200 with <c>ActionStatus</c>/<c>ErrorCode</c>/<c>ErrorInfo</c>; a non-zero code becomes the typed
/// exception of <see cref="TencentImErrors.Classify"/>.</para>
/// <para>Retries: <see cref="CreateGroupAsync"/> with a caller-chosen group ID is retried, because a repeat is made
/// idempotent: "ID already in use" on a retry means the earlier attempt created it, and counts as success;
/// without an ID it is never retried (a repeat could create a second group). <see cref="DestroyGroupAsync"/> is retried, and
/// "no such group" on a retry counts as success. <see cref="SendGroupTextAsync"/> is never retried.</para>
/// </remarks>
public class TencentImClient : VendorApiClient
{
    /// <summary>The REST service of group calls, <c>group_open_http_svc</c>.</summary>
    public const string GroupService = "group_open_http_svc";

    /// <summary>The longest custom group ID, in bytes.</summary>
    public const int MaxGroupIdLength = 48;

    /// <summary>The longest group name, in UTF-8 bytes.</summary>
    public const int MaxGroupNameBytes = 100;

    /// <summary>The longest message body Tencent accepts, in UTF-8 bytes (12 KB).</summary>
    public const int MaxTextBytes = 12 * 1024;

    private readonly UserSigGenerator _generator = null!;
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly Uri _endpoint = null!;
    private UserSigTicket? _admin;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="pipeline">Its vendor pipeline (DI makes it from the client's context).</param>
    /// <param name="timeProvider">The clock UserSigs are issued by; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public TencentImClient(TencentImOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(TencentImOptions.ProviderName, TencentImOptions.SectionName);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _generator = new UserSigGenerator(options.SdkAppId, options.SecretKey!, _timeProvider);
        _endpoint = options.Endpoint;
        SdkAppId = options.SdkAppId;
        AdminIdentifier = options.AdminIdentifier!;
        UserSigExpiry = options.UserSigExpiry;
    }

    /// <summary>For test doubles that override the operations they need.</summary>
    protected TencentImClient()
    {
        AdminIdentifier = string.Empty;
    }

    /// <summary>The app's SDKAppID (what a client passes to <c>TencentCloudChat.create</c>).</summary>
    public long SdkAppId { get; }

    /// <summary>The App admin account the REST calls are made as.</summary>
    public string AdminIdentifier { get; }

    /// <summary>How long issued UserSigs are valid.</summary>
    public TimeSpan UserSigExpiry { get; }

    /// <summary>Issues the UserSig a client logs in to IM with (<c>chat.login({userID, userSig})</c>).</summary>
    /// <param name="userId">The UserID: 1–32 characters from <c>A-Z a-z 0-9 _ -</c>.</param>
    /// <param name="lifetime">How long it is valid; <see cref="UserSigExpiry"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A bad user id or lifetime.</exception>
    public virtual UserSigTicket CreateUserSig(string userId, TimeSpan? lifetime = null) => _generator.Generate(userId, lifetime ?? UserSigExpiry);

    /// <summary><c>create_group</c>: creates a live-room (<c>AVChatRoom</c>) group with no owner; users join through the client SDK.</summary>
    /// <param name="name">The group name (1–100 UTF-8 bytes).</param>
    /// <param name="groupId">
    /// A custom group ID (1–48 printable ASCII characters, not starting with <c>@TGS#</c>); with one, the call is retried
    /// safely and an ID this call already created counts as success. Without one, Tencent picks the ID and the call is never retried.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The group ID.</returns>
    /// <exception cref="LiveCloudException">The vendor refused (e.g. <c>ErrorCode</c> 10021 when another group has the ID, 10036 when the plan's AVChatRoom quota is used up).</exception>
    public virtual Task<string> CreateGroupAsync(string name, string? groupId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        if (string.IsNullOrWhiteSpace(name) || nameBytes > MaxGroupNameBytes)
        {
            throw new ArgumentException($"A group name must be 1 to {MaxGroupNameBytes} UTF-8 bytes and not blank; got {nameBytes} bytes.", nameof(name));
        }

        if (groupId is not null)
        {
            ValidateGroupId(groupId);
        }

        VendorOperation operation = groupId is null ? VendorOperation.Write("create_group") : VendorOperation.IdempotentWrite("create_group");
        return CallAsync(
            operation,
            w =>
            {
                w.WriteString("Type", "AVChatRoom");
                w.WriteString("Name", name);
                if (groupId is not null)
                {
                    w.WriteString("GroupId", groupId);
                }
            },
            r => (r.ValueKind == JsonValueKind.Object ? r.GetText("GroupId") : null) ?? groupId ?? throw new LiveCloudException("Tencent IM create_group answered OK without a GroupId.") { Provider = ProviderName },
            (code, retried) => groupId is not null && (code == TencentImErrors.GroupIdInUseByOperator || (retried && code == TencentImErrors.GroupIdInUse)),
            cancellationToken);
    }

    /// <summary><c>destroy_group</c>: dismisses a group (everyone is removed). Retried; "no such group" on a retry counts as success.</summary>
    /// <param name="groupId">The group ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LiveCloudNotFoundException">The group did not exist (or was already dismissed) before this call.</exception>
    public virtual Task DestroyGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ValidateGroupId(groupId, allowTencentPrefix: true);
        return CallAsync(
            VendorOperation.IdempotentWrite("destroy_group"),
            w => w.WriteString("GroupId", groupId),
            _ => groupId,
            (code, retried) => retried && code is TencentImErrors.GroupDismissed or TencentImErrors.GroupNotFound,
            cancellationToken);
    }

    /// <summary><c>send_group_msg</c>: posts a text message to a group, from the admin or <paramref name="fromAccount"/>. Never retried.</summary>
    /// <param name="groupId">The group ID.</param>
    /// <param name="text">The text (1 to 12 KB of UTF-8).</param>
    /// <param name="fromAccount">The sender's UserID; the admin when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The message's sequence number and time.</returns>
    public virtual Task<TencentImMessageReceipt> SendGroupTextAsync(string groupId, string text, string? fromAccount = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(text);
        ValidateGroupId(groupId, allowTencentPrefix: true);
        int textBytes = Encoding.UTF8.GetByteCount(text);
        if (text.Length == 0 || textBytes > MaxTextBytes)
        {
            throw new ArgumentException($"A message must be 1 to {MaxTextBytes} UTF-8 bytes; got {textBytes}.", nameof(text));
        }

        if (fromAccount is not null)
        {
            UserSig.ValidateIdentifier(fromAccount, nameof(fromAccount));
        }

        // The message's Random is the vendor's de-duplication key (same value within 5 minutes = a duplicate).
        uint messageRandom = NextRandom();
        return CallAsync(
            VendorOperation.Write("send_group_msg"),
            w =>
            {
                w.WriteString("GroupId", groupId);
                w.WriteNumber("Random", messageRandom);
                if (fromAccount is not null)
                {
                    w.WriteString("From_Account", fromAccount);
                }

                w.WriteStartArray("MsgBody");
                w.WriteStartObject();
                w.WriteString("MsgType", "TIMTextElem");
                w.WriteStartObject("MsgContent");
                w.WriteString("Text", text);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            },
            static r => new TencentImMessageReceipt((r.GetInt64("MsgSeq") ?? 0), DateTimeOffset.FromUnixTimeSeconds((r.GetInt64("MsgTime") ?? 0))),
            static (_, _) => false,
            cancellationToken);
    }

    /// <summary>Shows the app id, admin and endpoint; never the key or a UserSig.</summary>
    public override string ToString() => $"TencentImClient {{ SdkAppId = {SdkAppId}, AdminIdentifier = {AdminIdentifier}, Endpoint = {_endpoint} }}";

    private static void ValidateGroupId(string groupId, bool allowTencentPrefix = false)
    {
        if (groupId.Length is 0 or > MaxGroupIdLength || !groupId.All(static c => c is > ' ' and <= '~'))
        {
            throw new ArgumentException($"A group ID must be 1 to {MaxGroupIdLength} printable ASCII characters without spaces; got '{groupId}'.", nameof(groupId));
        }

        if (!allowTencentPrefix && groupId.StartsWith("@TGS#", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A custom group ID may not start with @TGS# (Tencent's own IDs do); got '{groupId}'.", nameof(groupId));
        }
    }

    private static uint NextRandom()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private string AdminUserSig()
    {
        UserSigTicket? ticket = Volatile.Read(ref _admin);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (ticket is null || now >= ticket.IssuedAt + ((ticket.ExpiresAt - ticket.IssuedAt) / 2))
        {
            ticket = _generator.Generate(AdminIdentifier, UserSigExpiry);
            Volatile.Write(ref _admin, ticket);
        }

        return ticket.UserSig;
    }

    // isSuccess: whether an error code means success after all; its second argument says whether an earlier attempt
    // of this call was sent (so its outcome is unknown), as for a retried create that now finds its own group.
    private Task<T> CallAsync<T>(
        VendorOperation operation,
        Action<Utf8JsonWriter> writeBody,
        Func<JsonElement, T> read,
        Func<int, bool, bool> isSuccess,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] body = JsonFields.WriteObject(writeBody);
        int attempts = 0;
        return SendAsync(
            operation,
            () =>
            {
                attempts++;
                return CreateRequest(operation.Name, body);
            },
            response => read(response.Json),
            error => error.Code is { } code && int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) && isSuccess(number, attempts > 1)
                ? (true, read(default)) // recoverable calls' readers answer from their own arguments (the group id)
                : (false, default!),
            cancellationToken);
    }

    /// <summary>
    /// IM's envelope: <c>{"ActionStatus":"OK"|"FAIL","ErrorCode":n,"ErrorInfo"}</c> inside an HTTP 200; a non-zero code
    /// is classified by <see cref="TencentImErrors"/>.
    /// </summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.TryGetJson(out JsonElement r) || r.ValueKind != JsonValueKind.Object || r.GetText("ActionStatus") is not { } status)
        {
            return response.IsSuccessStatusCode
                ? new VendorError(ProviderName, operation.Name, VendorErrorKind.Failed, null, "the answer has no ActionStatus", null, response.Status)
                : new VendorError(ProviderName, operation.Name, VendorError.KindOf(response.Status), null, null, null, response.Status);
        }

        long code = r.GetInt64("ErrorCode") ?? 0;
        if (status == "OK" && code == 0 && response.IsSuccessStatusCode)
        {
            return null;
        }

        VendorErrorKind kind = code == 0 ? VendorError.KindOf(response.Status) : TencentImErrors.Classify((int)code);
        return new VendorError(ProviderName, operation.Name, kind, code == 0 ? null : code.ToString(CultureInfo.InvariantCulture), r.GetText("ErrorInfo"), r.GetText("RequestId"), response.Status);
    }

    // Called once per attempt: a new random and, when due, a new admin UserSig.
    private HttpRequestMessage CreateRequest(string command, byte[] body)
    {
        string query = string.Create(
            CultureInfo.InvariantCulture,
            $"v4/{GroupService}/{command}?sdkappid={SdkAppId}&identifier={Uri.EscapeDataString(AdminIdentifier)}&usersig={Uri.EscapeDataString(AdminUserSig())}&random={NextRandom()}&contenttype=json");
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        return new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, query)) { Content = content };
    }


}

/// <summary>What <c>send_group_msg</c> answered for a delivered message.</summary>
/// <param name="Sequence">The message's sequence number in the group (<c>MsgSeq</c>).</param>
/// <param name="Time">When the server took it (<c>MsgTime</c>).</param>
public sealed record TencentImMessageReceipt(long Sequence, DateTimeOffset Time);
