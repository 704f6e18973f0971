using System.Collections.ObjectModel;

namespace LiveCloud;

/// <summary>What happened to a stream.</summary>
public enum StreamEventKind
{
    /// <summary>A broadcaster started pushing (or asks to: nginx-rtmp's <c>on_publish</c> is decided by the handler).</summary>
    Published,

    /// <summary>The push ended.</summary>
    Unpublished,

    /// <summary>A player asks to play (nginx-rtmp's <c>on_play</c>).</summary>
    PlayRequested,

    /// <summary>A recorded file is ready; <see cref="StreamEvent.Recording"/> describes it.</summary>
    RecordingReady,

    /// <summary>A snapshot image is ready; <see cref="StreamEvent.SnapshotUrl"/> points at it.</summary>
    SnapshotReady,

    /// <summary>
    /// A recording changed state (started, paused, resumed, failed, ended); <see cref="StreamEvent.Detail"/> holds the
    /// vendor's word for it, e.g. Tencent <c>record_start_failed</c> or Aliyun <c>record_paused</c>.
    /// </summary>
    RecordingStatusChanged,

    /// <summary>
    /// The vendor saw trouble with the push (an ingest exception, a quality alert); <see cref="StreamEvent.Detail"/>
    /// holds the vendor's code or message.
    /// </summary>
    PushAlert,

    /// <summary>
    /// A content-moderation verdict on the stream; <see cref="StreamEvent.Detail"/> holds the vendor's label or result.
    /// </summary>
    ModerationResult,

    /// <summary>
    /// A relay (a push of this stream to an outside URL, or a pull of an outside stream into this one) changed state;
    /// <see cref="StreamEvent.Detail"/> holds the vendor's status and reason.
    /// </summary>
    RelayStatusChanged,

    /// <summary>
    /// A verified callback of a type LiveCloud does not model. It is acknowledged (so the vendor stops re-delivering)
    /// and handed on as is: <see cref="StreamEvent.VendorEventType"/> and <see cref="StreamEvent.RawPayload"/> say what it was.
    /// </summary>
    Other,

    /// <summary>
    /// Raised by a multi-cloud provider, not a vendor: a member that holds or serves this stream was marked down or up
    /// again. <see cref="StreamEvent.Detail"/> says which and why; <see cref="StreamEvent.VendorEventType"/> is the member's name.
    /// </summary>
    ProviderHealthChanged,

    /// <summary>
    /// Raised by a multi-cloud provider, not a vendor: the member this stream's viewers play from changed (a failover, or
    /// the first member to hold it). Players should ask for play URLs again; <see cref="StreamEvent.Detail"/> says from
    /// which member to which and why, and <see cref="StreamEvent.VendorEventType"/> is the new member's name.
    /// </summary>
    ServingProviderChanged,
}

/// <summary>A verified, parsed vendor callback.</summary>
/// <param name="Provider">The provider that parsed it.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Stream">The stream it happened to.</param>
/// <param name="OccurredAt">When, by the vendor's clock where it says, else when it was received.</param>
/// <param name="EventId">
/// A key that is equal for redeliveries of the same event (vendors retry callbacks) and different for
/// different events: use it to make handling idempotent.
/// </param>
public sealed record StreamEvent(string Provider, StreamEventKind Kind, StreamId Stream, DateTimeOffset OccurredAt, string EventId)
{
    /// <summary>The broadcaster's or player's address, where the vendor says.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>
    /// The push session the event belongs to, where the vendor identifies one (nginx-rtmp's client id, Tencent's
    /// <c>sequence</c>): an unpublish of a session that never published can then be told from the live one.
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>The recorded file, for <see cref="StreamEventKind.RecordingReady"/>.</summary>
    public RecordedFile? Recording { get; init; }

    /// <summary>The snapshot image, for <see cref="StreamEventKind.SnapshotReady"/>.</summary>
    public Uri? SnapshotUrl { get; init; }

    /// <summary>The relay a <see cref="StreamEventKind.RelayStatusChanged"/> event is about.</summary>
    public string? RelayId { get; init; }

    /// <summary>
    /// Where the relay of a <see cref="StreamEventKind.RelayStatusChanged"/> event stands, mapped from the vendor's status
    /// (its own word stays in <see cref="Detail"/>); <see langword="null"/> when the event says nothing about it (a
    /// configuration change, a file of a playlist starting).
    /// </summary>
    public RelayStatus? RelayStatus { get; init; }

    /// <summary>The vendor's own event type as sent (Tencent <c>event_type</c>, Aliyun <c>action</c>/<c>event</c>, nginx <c>call</c>).</summary>
    public string? VendorEventType { get; init; }

    /// <summary>The vendor's status word, code or reason for status, alert, moderation and relay events.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// The callback's payload as the vendor sent it (the JSON body, or the form/query fields as a query string),
    /// for what LiveCloud does not model. It can name client addresses and stream parameters: log it with care.
    /// Signatures and tokens are removed where the provider knows them.
    /// </summary>
    public string? RawPayload { get; init; }

    /// <summary>Shows what happened without the raw payload.</summary>
    public override string ToString() =>
        $"StreamEvent {{ Provider = {Provider}, Kind = {Kind}, Stream = {Stream}, OccurredAt = {OccurredAt:O}, EventId = {EventId}, VendorEventType = {VendorEventType}, Detail = {Detail}{(RelayId is null ? string.Empty : $", RelayId = {RelayId}, RelayStatus = {RelayStatus}")} }}";
}

/// <summary>
/// An incoming vendor callback as the web framework received it, before verification. Kept free of
/// ASP.NET Core types so that handlers are plain .NET and testable without a server.
/// </summary>
public sealed record CallbackRequest
{
    private static readonly IReadOnlyDictionary<string, string> Empty = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The HTTP method (<c>GET</c> for Aliyun ingest callbacks, <c>POST</c> for most others).</summary>
    public string Method { get; init; } = "POST";

    /// <summary>The query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = Empty;

    /// <summary>The headers (look-ups should ignore case; <see cref="Header"/> does).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Empty;

    /// <summary>The media type of <see cref="Body"/>, e.g. <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>The raw body as text (JSON or form-encoded).</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>A header's value, matched without regard to case; <see langword="null"/> when absent.</summary>
    public string? Header(string name)
    {
        if (Headers.TryGetValue(name, out string? value))
        {
            return value;
        }

        foreach (KeyValuePair<string, string> pair in Headers)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// Parses a form-encoded <see cref="Body"/> (nginx-rtmp hooks) into fields. The FIRST occurrence of a
    /// name wins: senders such as nginx-rtmp write their own fields before appending the client's URL query
    /// arguments, so a client adding <c>&amp;call=…</c> or <c>&amp;name=…</c> to its URL cannot override them.
    /// </summary>
    public IReadOnlyDictionary<string, string> ReadForm()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in Body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            fields.TryAdd(key, value);
        }

        return fields;
    }

    /// <summary>Lists the headers' names only: callbacks carry signatures, which must not reach logs.</summary>
    public override string ToString() => $"CallbackRequest {{ Method = {Method}, ContentType = {ContentType}, Headers = [{string.Join(", ", Headers.Keys)}], BodyLength = {Body.Length} }}";
}
