namespace LiveCloud.Qiniu;

/// <summary>A stream's settings (<c>GET /v2/hubs/{hub}/streams/{enc}</c>).</summary>
/// <param name="Hub">The hub.</param>
/// <param name="Key">The stream title.</param>
/// <param name="CreatedAt">When the stream was created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
/// <param name="ExpireAt">When Qiniu deletes it if it stays unused; <see langword="null"/> when not given.</param>
/// <param name="DisabledTill">The raw <c>disabledTill</c>: 0 = allowed, −1 = banned for good, else the Unix second the ban ends.</param>
/// <param name="Converts">The transcoding profiles applied.</param>
public sealed record QiniuStreamInfo(string Hub, string Key, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ExpireAt, long DisabledTill, IReadOnlyList<string> Converts)
{
    /// <summary>Whether pushing is forbidden at <paramref name="now"/>.</summary>
    public bool IsDisabledAt(DateTimeOffset now) => DisabledTill == -1 || (DisabledTill > 0 && DisabledTill > now.ToUnixTimeSeconds());
}

/// <summary>A live stream's real-time status (<c>GET …/live</c>, <c>POST …/livestreams</c>).</summary>
/// <param name="Key">The stream title.</param>
/// <param name="StartAt">When the current push began.</param>
/// <param name="ClientIp">The broadcaster's address.</param>
/// <param name="ServerIp">The ingest server's address.</param>
/// <param name="Bps">The incoming bit rate, bits per second.</param>
/// <param name="PlayCount">Players connected, where Qiniu says.</param>
public sealed record QiniuLiveStatus(string Key, DateTimeOffset StartAt, string? ClientIp, string? ServerIp, long Bps, int? PlayCount);

/// <summary>One push session (<c>GET …/historyactivity</c>).</summary>
/// <param name="Start">When it began.</param>
/// <param name="End">When it ended; <see langword="null"/> while still live (<c>end</c> 0).</param>
/// <param name="ClientIp">The broadcaster's address.</param>
/// <param name="ServerIp">The ingest server's address.</param>
public sealed record QiniuPushRecord(DateTimeOffset Start, DateTimeOffset? End, string? ClientIp, string? ServerIp);

/// <summary>A domain bound to a hub (<c>GET /v2/hubs/{hub}/domains[/{domain}]</c>).</summary>
/// <param name="Domain">The host name.</param>
/// <param name="Type"><c>publishRtmp</c>, <c>liveRtmp</c>, <c>liveHls</c> or <c>liveHdl</c>.</param>
/// <param name="Cname">The CNAME target Qiniu expects; <see langword="null"/> when it names none.</param>
/// <param name="Disabled">Whether Qiniu has the domain switched off (domain info only; <see langword="false"/> in lists).</param>
/// <param name="CertEnabled">Whether HTTPS is set up.</param>
public sealed record QiniuDomainInfo(string Domain, string Type, string? Cname, bool Disabled, bool CertEnabled)
{
    /// <summary>Push for <c>publishRtmp</c>; play for the rest.</summary>
    public DomainKind Kind => string.Equals(Type, "publishRtmp", StringComparison.OrdinalIgnoreCase) ? DomainKind.Push : DomainKind.Play;
}

/// <summary>A hub's settings (<c>GET /v2/hubs/{hub}</c>), the parts the adapter uses.</summary>
/// <param name="Name">The hub.</param>
/// <param name="StorageBucket">The Kodo bucket recordings are kept in.</param>
/// <param name="VodDomain">The bucket's download domain: saved files play at <c>http://{VodDomain}/{fname}</c>.</param>
/// <param name="PublishSecurity">The hub's push security word.</param>
/// <param name="Domains">The bound domains.</param>
public sealed record QiniuHubInfo(string Name, string? StorageBucket, string? VodDomain, string? PublishSecurity, IReadOnlyList<QiniuDomainInfo> Domains);

/// <summary>What <c>saveas</c> should save (<c>POST …/saveas</c>).</summary>
public sealed record QiniuSaveAsOptions
{
    /// <summary>The file name in the hub's bucket; Qiniu picks one when <see langword="null"/>.</summary>
    public string? FileName { get; init; }

    /// <summary>The start of the saved range; from the beginning of the kept data when <see langword="null"/>.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The end of the saved range; now when <see langword="null"/>.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary><c>m3u8</c> (default, synchronous), or <c>flv</c>/<c>mp4</c> (asynchronous media processing, billed separately).</summary>
    public string? Format { get; init; }

    /// <summary>The media-processing queue (flv/mp4).</summary>
    public string? Pipeline { get; init; }

    /// <summary>Where media processing reports the result (flv/mp4).</summary>
    public Uri? Notify { get; init; }

    /// <summary>Days before the saved file is deleted; kept when <see langword="null"/>.</summary>
    public int? DeleteAfterDays { get; init; }
}

/// <summary>The answer of <c>saveas</c> or <c>snapshot</c>.</summary>
/// <param name="FileName">The saved file's name in the hub's bucket.</param>
/// <param name="PersistentId">The media-processing job id (flv/mp4/async), where one was started.</param>
public sealed record QiniuSavedFile(string FileName, string? PersistentId);

/// <summary>What <c>snapshot</c> should take (<c>POST …/snapshot</c>).</summary>
public sealed record QiniuSnapshotOptions
{
    /// <summary>The image file name in the hub's bucket; Qiniu picks one when <see langword="null"/>.</summary>
    public string? FileName { get; init; }

    /// <summary>The moment to take; the latest when <see langword="null"/>.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary><c>jpg</c> (default) or <c>png</c>.</summary>
    public string? Format { get; init; }

    /// <summary>Where the asynchronous result is reported.</summary>
    public Uri? Notify { get; init; }

    /// <summary>Days before the image is deleted.</summary>
    public int? DeleteAfterDays { get; init; }
}

/// <summary>
/// What the Pub API's <c>POST /tasks</c> is asked to do: pull <see cref="SourceUrl"/> and forward it to
/// <see cref="ForwardUrl"/>. Both can carry secrets: <see cref="ToString"/> shows them redacted.
/// </summary>
/// <param name="Name">The task's name: 1–20 letters or digits, unique per account.</param>
/// <param name="SourceUrl">The source.</param>
/// <param name="ForwardUrl">Where it is pushed.</param>
public sealed record QiniuPubTaskRequest(string Name, string SourceUrl, string ForwardUrl)
{
    /// <summary>The task's description (LiveCloud notes the relay's direction, stream and redacted remote here).</summary>
    public string? Description { get; init; }

    /// <summary>Whether the source is a file (<c>videoType</c> 1) rather than a live stream (0).</summary>
    public bool SourceIsFile { get; init; }

    /// <summary>When the task stops by itself (<c>deliverStopTime</c>).</summary>
    public DateTimeOffset? StopAt { get; init; }

    /// <summary>Where Pub reports the task's status (<c>statusCallback</c>, JSON with the task id, status, start and stop times).</summary>
    public Uri? StatusCallbackUrl { get; init; }

    /// <summary>Shows the request with its URLs redacted.</summary>
    public override string ToString() =>
        $"QiniuPubTaskRequest {{ Name = {Name}, SourceUrl = {QiniuRelayText.Redact(SourceUrl)}, ForwardUrl = {QiniuRelayText.Redact(ForwardUrl)}, SourceIsFile = {SourceIsFile}, StopAt = {StopAt:O}, Description = {Description} }}";
}

/// <summary>A Pub task as <c>GET /tasks/{id}</c> and <c>GET /tasks</c> report it; <see cref="ToString"/> shows its URLs redacted.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Name">The task's name.</param>
/// <param name="SourceUrls">The sources.</param>
/// <param name="ForwardUrls">Where it pushes.</param>
/// <param name="Status"><c>pending</c>, <c>running</c>, <c>stopped</c>, <c>failed</c> or <c>finished</c>.</param>
public sealed record QiniuPubTask(string TaskId, string Name, IReadOnlyList<string> SourceUrls, IReadOnlyList<string> ForwardUrls, string Status)
{
    /// <summary>The task's description.</summary>
    public string? Description { get; init; }

    /// <summary>When the task stops by itself.</summary>
    public DateTimeOffset? StopAt { get; init; }

    /// <summary>When the task was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Shows the task with its URLs redacted.</summary>
    public override string ToString() =>
        $"QiniuPubTask {{ TaskId = {TaskId}, Name = {Name}, SourceUrls = [{string.Join(", ", SourceUrls.Select(QiniuRelayText.Redact))}], ForwardUrls = [{string.Join(", ", ForwardUrls.Select(QiniuRelayText.Redact))}], Status = {Status}, StopAt = {StopAt:O}, Description = {Description} }}";
}

internal static class QiniuRelayText
{
    // A URL as text, redacted; text that is no absolute URL is hidden whole.
    public static string Redact(string url) => Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? RelayUrls.Redact(parsed) : "***";
}
