using System.Globalization;
using System.Net;
using System.Text;
using LiveCloud.Callbacks;

namespace LiveCloud.Nginx;

/// <summary>
/// Verifies and parses nginx-rtmp's hooks (<c>on_publish</c>, <c>on_play</c>, <c>on_publish_done</c>,
/// <c>on_record_done</c>, and the HLS <c>auth_request</c> LiveCloud's nginx.conf adds as <c>call=hls</c>): a form
/// POST (query for HLS) whose query carries the hook token nginx.conf adds, <c>lc_hook</c>. See
/// https://github.com/arut/nginx-rtmp-module/wiki/Directives#notify for the fields.
/// </summary>
/// <remarks>
/// <para>A missing or wrong hook token is refused (<see cref="CallbackVerificationException"/>, answer 403: nginx then
/// refuses the push or play). So are pushes and plays whose URL signature (<c>e</c>, <c>sig</c>) does not verify or has
/// expired, streams of another application, and <c>record_done</c> files outside the recordings folder. A hook with
/// the right token but no valid <c>app</c> or <c>name</c>, or a recording named with an impossible time, is malformed
/// (<see cref="ArgumentException"/>, answer 400).</para>
/// <para><c>publish</c> → <see cref="StreamEventKind.Published"/>, <c>play</c> and <c>hls</c> →
/// <see cref="StreamEventKind.PlayRequested"/>, <c>publish_done</c> → <see cref="StreamEventKind.Unpublished"/>,
/// <c>record_done</c> → <see cref="StreamEventKind.RecordingReady"/>; any other <c>call</c> with the right token
/// (<c>update</c>, <c>play_done</c>, <c>done</c>…) → <see cref="StreamEventKind.Other"/>. nginx-rtmp documents no
/// recording-status, alert, moderation or relay hooks. Every event has <see cref="StreamEvent.VendorEventType"/> =
/// <c>call</c>, <see cref="StreamEvent.SessionId"/> = nginx's <c>clientid</c> (none for HLS), and
/// <see cref="StreamEvent.RawPayload"/> = the fields without <c>lc_hook</c> and <c>sig</c>.</para>
/// <para>Event ids are <see cref="CallbackGuard.EventId"/> of (provider, <c>call</c>, stream, <c>clientid</c>) for
/// <c>publish</c>, <c>play</c> and <c>publish_done</c>, plus the file name for <c>record_done</c>; (provider, <c>hls</c>,
/// stream, <c>e</c>) for HLS; (provider, <c>call</c>, stream, <c>clientid</c>, payload) for other calls. So the id of the
/// <c>publish_done</c> that ends a publish's session is computable from the publish's <see cref="StreamEvent.SessionId"/>.
/// nginx numbers client ids afresh when it restarts.</para>
/// <para>A <c>record_done</c> event's <see cref="StreamEvent.Recording"/> names the file, its URL and start (from the
/// recorder's <c>{stream}-{unix seconds}.flv</c> name); its size and duration are read from the file by
/// <see cref="NginxStreamProvider"/>, which also refuses pushes of forbidden streams. This class does no I/O.</para>
/// </remarks>
public sealed class NginxCallbackVerifier
{
    private readonly NginxOptions _options;
    private readonly NginxUrlSigner _signer;
    private readonly byte[] _hookToken;
    private readonly string _recordingsDirectory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">Validated options (signing key, application, recordings folder, public host).</param>
    /// <param name="timeProvider">The clock URL expiries are checked against; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public NginxCallbackVerifier(NginxOptions options, TimeProvider? timeProvider = null)
        : this(options, new NginxUrlSigner((options ?? throw new ArgumentNullException(nameof(options))).SigningKey ?? throw new ArgumentException("SigningKey is required.", nameof(options))), timeProvider)
    {
    }

    // Shares the provider's signer, so signing and verifying on one thread reuse one keyed HMAC.
    internal NginxCallbackVerifier(NginxOptions options, NginxUrlSigner signer, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signer);
        _options = options;
        _signer = signer;
        _hookToken = Encoding.UTF8.GetBytes(signer.HookToken);
        _recordingsDirectory = NginxConfig.Full(options.ResolvedRecordingsDirectory);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Verifies the hook token (and, for pushes and plays, the URL signature), then parses the event.</summary>
    /// <param name="request">The hook as received: the form body and the query.</param>
    /// <param name="provider">The provider name to put in the event.</param>
    /// <exception cref="CallbackVerificationException">Not from this nginx, not signed for this stream, expired, or not this server's; answer 403.</exception>
    /// <exception cref="ArgumentException">From this nginx, but without a valid stream or with an impossible recording; answer 400.</exception>
    public StreamEvent Parse(CallbackRequest request, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Dictionary<string, string> fields = ReadHookFields(request);
        string call = Field(fields, "call") ?? string.Empty;
        if (!CallbackGuard.TextEquals(_hookToken, Field(fields, NginxUrlSigner.HookTokenParameter)))
        {
            throw Refused(provider, call, null, "the hook token is missing or wrong (the request did not come from this provider's nginx)");
        }

        string? app = Field(fields, "app");
        string? name = Field(fields, "name");
        if (!StreamId.IsValidPart(app) || !StreamId.IsValidPart(name))
        {
            throw new ArgumentException($"{provider} {Shown(call)} hook is malformed: the app or stream name is missing or malformed.", nameof(request));
        }

        foreach ((string key, string value) in fields)
        {
            if (!CallbackGuard.IsWellFormedText(key) || !CallbackGuard.IsWellFormedText(value))
            {
                throw new ArgumentException($"{provider} {Shown(call)} hook is malformed: field '{(CallbackGuard.IsWellFormedText(key) ? key : "?")}' holds text that is not valid Unicode.", nameof(request));
            }
        }

        var stream = new StreamId(app!, name!);
        if (!string.Equals(app, _options.AppName, StringComparison.Ordinal))
        {
            throw Refused(provider, call, stream, $"application '{app}' is not LiveCloud:Nginx:AppName");
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        string? clientId = Field(fields, "clientid");
        var e = new StreamEvent(provider, StreamEventKind.Other, stream, now, string.Empty)
        {
            ClientAddress = Field(fields, "addr"),
            SessionId = clientId,
            VendorEventType = call,
            RawPayload = CallbackPayload.FromFields(fields, NginxUrlSigner.HookTokenParameter, "sig"),
        };
        string id = stream.ToString();
        switch (call)
        {
            case "publish":
                VerifySigned(provider, NginxUrlSigner.Publish, stream, fields, now);
                return e with { Kind = StreamEventKind.Published, EventId = CallbackGuard.EventId(provider, call, id, clientId) };
            case "play":
                VerifySigned(provider, NginxUrlSigner.Play, stream, fields, now);
                return e with { Kind = StreamEventKind.PlayRequested, EventId = CallbackGuard.EventId(provider, call, id, clientId) };
            case "hls":
                VerifySigned(provider, NginxUrlSigner.Hls, stream, fields, now);
                return e with { Kind = StreamEventKind.PlayRequested, EventId = CallbackGuard.EventId(provider, call, id, Field(fields, "e")) };
            case "publish_done":
                return e with { Kind = StreamEventKind.Unpublished, EventId = CallbackGuard.EventId(provider, call, id, clientId) };
            case "record_done":
                string file = RecordedFileName(provider, call, stream, Field(fields, "path"), out DateTimeOffset? start);
                return e with
                {
                    Kind = StreamEventKind.RecordingReady,
                    Recording = NginxConfig.Recording(_options, stream, file, start
                        ?? throw new ArgumentException($"{provider} {call} hook is malformed: the recorded file's name holds a Unix time beyond year 9999.", nameof(request))),
                    EventId = CallbackGuard.EventId(provider, call, id, clientId, file),
                };
            default:
                return e with { EventId = CallbackGuard.EventId(provider, call, id, clientId, e.RawPayload) };
        }
    }

    /// <summary>A refusal, its message naming the provider, hook, stream and reason (never a signature).</summary>
    internal static CallbackVerificationException Refused(string provider, string call, StreamId? stream, string reason) =>
        new($"{provider} {Shown(call)} refused for {stream?.ToString() ?? "an unnamed stream"}: {reason}.") { Provider = provider, Status = HttpStatusCode.Forbidden };

    /// <summary>
    /// The hook's fields, the first occurrence of a name winning (see <see cref="CallbackRequest.ReadForm"/>):
    /// nginx-rtmp writes its own fields before the push/play URL's query arguments. The query (the hook token
    /// nginx.conf adds) comes before the body for the same reason.
    /// </summary>
    internal static Dictionary<string, string> ReadHookFields(CallbackRequest request)
    {
        var fields = new Dictionary<string, string>(request.Query, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> field in request.ReadForm())
        {
            fields.TryAdd(field.Key, field.Value);
        }

        return fields;
    }

    private void VerifySigned(string provider, string purpose, StreamId stream, Dictionary<string, string> fields, DateTimeOffset now)
    {
        // e and sig come from the client's URL: without a valid pair the client is not authorised, so it is a refusal.
        string? e = Field(fields, "e");
        if (e is null || !long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out long expires))
        {
            throw Refused(provider, purpose, stream, "the URL carries no expiry ('e')");
        }

        if (!_signer.Verify(purpose, stream.App, stream.Name, expires, Field(fields, "sig")))
        {
            throw Refused(provider, purpose, stream, "the signature does not verify");
        }

        if (now.ToUnixTimeSeconds() > expires)
        {
            throw Refused(provider, purpose, stream, $"the URL expired at {DateTimeOffset.FromUnixTimeSeconds(expires):O}");
        }
    }

    // The recorded file's name, when path is a recording of this stream directly in the recordings folder.
    private string RecordedFileName(string provider, string call, StreamId stream, string? path, out DateTimeOffset? start)
    {
        string? full = path is null || path.Contains('\0', StringComparison.Ordinal) ? null : Path.GetFullPath(path);
        string file = full is null ? string.Empty : Path.GetFileName(full);
        if (full is null
            || !string.Equals(Path.GetDirectoryName(full), _recordingsDirectory, StringComparison.Ordinal)
            || !NginxConfig.TryParseRecordingName(file, stream.Name, out start))
        {
            throw Refused(provider, call, stream, "the recorded file is not a recording of this stream in LiveCloud:Nginx:RecordingsDirectory");
        }

        return file;
    }

    private static string? Field(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    // The call as shown in messages: nginx's own names, never an attacker's text.
    private static string Shown(string call) =>
        call.Length is > 0 and <= 32 && call.All(c => char.IsAsciiLetterLower(c) || c == '_') ? call : "hook";
}
