namespace LiveCloud.Volcengine;

/// <summary>One domain of <c>ListDomainDetail</c> or <c>DescribeDomain</c>.</summary>
/// <param name="Name">The push or pull domain.</param>
/// <param name="Vhost">Its domain space.</param>
/// <param name="Type"><c>push</c>, or <c>pull-flv</c> (RTMP, FLV and HLS play).</param>
/// <param name="Status"><c>0</c> normal, <c>1</c> under review, <c>2</c> disabled, <c>3</c> deleted, <c>4</c> rejected, <c>5</c> stopped for arrears, <c>6</c> blocked for lack of ICP filing.</param>
/// <param name="Cname">The CNAME Volcengine assigned, e.g. <c>push.example.com.bytefcdn.com</c>; <see langword="null"/> when it names none.</param>
/// <param name="CnameConfigured">Volcengine's own CNAME check (<c>CnameCheck</c> 1), where it says.</param>
public sealed record VolcengineDomain(string Name, string Vhost, string Type, int Status, string? Cname, bool? CnameConfigured)
{
    /// <summary>The domain as the contract sees it: enabled when <see cref="Status"/> is 0.</summary>
    public LiveDomain ToLiveDomain() => new(
        Name,
        string.Equals(Type, "push", StringComparison.OrdinalIgnoreCase) ? DomainKind.Push : DomainKind.Play,
        Status == 0,
        Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Cname);
}

/// <summary>One stream of <c>DescribeLiveStreamInfoByPage</c>.</summary>
/// <param name="Vhost">The domain space.</param>
/// <param name="Domain">The domain.</param>
/// <param name="App">The app name.</param>
/// <param name="Stream">The stream name.</param>
/// <param name="SessionStartTime">When the push began.</param>
/// <param name="SourceType"><c>push</c> or <c>relay</c>.</param>
public sealed record VolcengineOnlineStreamInfo(string Vhost, string Domain, string App, string Stream, DateTimeOffset? SessionStartTime, string? SourceType);

/// <summary>One recorded file of <c>DescribeRecordTaskFileHistory</c>.</summary>
/// <param name="Vhost">The domain space.</param>
/// <param name="App">The app name.</param>
/// <param name="Stream">The stream name.</param>
/// <param name="StartTime">When recording began (from <c>StartTimeUTC</c>).</param>
/// <param name="EndTime">When it ended (from <c>EndTimeUTC</c>).</param>
/// <param name="Duration">How long it is.</param>
/// <param name="FileName">The file name.</param>
/// <param name="Format">The container, e.g. <c>mp4</c>.</param>
/// <param name="Bucket">The TOS bucket.</param>
/// <param name="Path">The storage path in the bucket.</param>
/// <param name="Vid">The VOD id, for files stored in VOD.</param>
public sealed record VolcengineRecordFile(string Vhost, string App, string Stream, DateTimeOffset StartTime, DateTimeOffset EndTime, TimeSpan Duration, string FileName, string Format, string Bucket, string Path, string? Vid)
{
    /// <summary>The object key in the bucket: <see cref="Path"/>, with <see cref="FileName"/> appended when the path is its folder.</summary>
    public string ObjectKey
    {
        get
        {
            string path = Path.Trim('/');
            return FileName.Length == 0 || path.EndsWith(FileName, StringComparison.Ordinal) ? path : path.Length == 0 ? FileName : path + "/" + FileName;
        }
    }
}

/// <summary>A pull-to-push task to create with <c>CreatePullToPushTask</c>.</summary>
/// <param name="StartTime">When it starts.</param>
/// <param name="EndTime">When it ends (at most 7 days after <paramref name="StartTime"/>).</param>
/// <param name="Source">What is pulled: a live stream, or (with <see cref="Loop"/>) a file.</param>
/// <param name="Domain">The push domain it pushes into.</param>
/// <param name="App">The app it pushes into.</param>
/// <param name="Stream">The stream it pushes into.</param>
public sealed record VolcenginePullToPushTask(DateTimeOffset StartTime, DateTimeOffset EndTime, Uri Source, string Domain, string App, string Stream)
{
    /// <summary>The source is a file played in a loop until the task ends (<c>Type</c> 1, <c>CycleMode</c> −1); a live source otherwise (<c>Type</c> 0).</summary>
    public bool Loop { get; init; }

    /// <summary>The task's name: 1–20 letters, digits or Chinese characters; a fresh one is made when <see langword="null"/>.</summary>
    public string? Title { get; init; }

    /// <summary>The group (<c>GroupName</c>), required for sub-accounts.</summary>
    public string? GroupName { get; init; }

    /// <summary>Shows the task with the source redacted.</summary>
    public override string ToString() =>
        $"VolcenginePullToPushTask {{ StartTime = {StartTime:O}, EndTime = {EndTime:O}, Source = {RelayUrls.Redact(Source)}, Domain = {Domain}, App = {App}, Stream = {Stream}, Loop = {Loop}, Title = {Title}, GroupName = {GroupName} }}";
}

/// <summary>One task of <c>ListPullToPushTaskV2</c>.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Title">Its name.</param>
/// <param name="Status">The vendor's status text (documented as 停用 / 未开始 / 生效中 / 已结束).</param>
/// <param name="StartTime">When it starts.</param>
/// <param name="EndTime">When it ends.</param>
/// <param name="Type"><c>0</c> live source, <c>1</c> files.</param>
/// <param name="Source">The live source (<c>SrcAddr</c>), or the first file.</param>
/// <param name="Destination">The push address (<c>DstAddr</c>).</param>
/// <param name="GroupName">Its group.</param>
public sealed record VolcenginePullToPushTaskInfo(string TaskId, string? Title, string? Status, DateTimeOffset? StartTime, DateTimeOffset? EndTime, int? Type, string? Source, string? Destination, string? GroupName)
{
    /// <summary>
    /// Where the task stands at <paramref name="now"/>: the four documented status words map to Stopped, Starting, Running
    /// and Ended; any other (their raw values are not confirmed) is told from the task's start and end times.
    /// </summary>
    /// <param name="now">The current time.</param>
    public RelayStatus StatusAt(DateTimeOffset now) => Status switch
    {
        "停用" => RelayStatus.Stopped,
        "未开始" => RelayStatus.Starting,
        "生效中" => RelayStatus.Running,
        "已结束" => RelayStatus.Ended,
        _ when EndTime is { } end && now >= end => RelayStatus.Ended,
        _ when StartTime is { } start && now < start => RelayStatus.Starting,
        _ => RelayStatus.Running,
    };

    /// <summary>Shows the task with its addresses redacted.</summary>
    public override string ToString() =>
        $"VolcenginePullToPushTaskInfo {{ TaskId = {TaskId}, Title = {Title}, Status = {Status}, StartTime = {StartTime:O}, EndTime = {EndTime:O}, Type = {Type}, Source = {Redacted(Source)}, Destination = {Redacted(Destination)}, GroupName = {GroupName} }}";

    internal static string? Redacted(string? url) =>
        url is null ? null : Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? RelayUrls.Redact(parsed) : "***";
}

/// <summary>What <c>DescribeLiveTrafficData</c> answers (monitoring data, in GB).</summary>
/// <param name="TotalDownGB">Downstream traffic over the range.</param>
/// <param name="TotalUpGB">Upstream traffic over the range.</param>
/// <param name="Samples">The traffic per interval.</param>
public sealed record VolcengineTrafficUsage(double TotalDownGB, double TotalUpGB, IReadOnlyList<VolcengineTrafficSample> Samples);

/// <summary>One interval of <see cref="VolcengineTrafficUsage"/>.</summary>
/// <param name="TimeStamp">The interval's start.</param>
/// <param name="DownGB">Downstream traffic.</param>
/// <param name="UpGB">Upstream traffic.</param>
public sealed record VolcengineTrafficSample(DateTimeOffset TimeStamp, double DownGB, double UpGB);

/// <summary>One URL of <c>GeneratePlayURL</c>: how Volcengine itself shapes and signs a pull domain's URLs.</summary>
/// <param name="Protocol"><c>rtmp</c>, <c>flv</c>, <c>hls</c>, <c>udp</c> or <c>cmaf</c>.</param>
/// <param name="Url">The signed URL.</param>
/// <param name="Cdn"><c>fcdn</c> (Volcengine's CDN) or <c>3rd</c>.</param>
/// <param name="Type"><c>pull</c>, or a third-party relay address type.</param>
public sealed record VolcengineGeneratedUrl(string Protocol, string Url, string? Cdn, string? Type)
{
    /// <summary>Shows the protocol and the URL without its query (it holds the signature).</summary>
    public override string ToString() => $"VolcengineGeneratedUrl {{ Protocol = {Protocol}, Url = {Url.Split('?')[0]}?***, Cdn = {Cdn}, Type = {Type} }}";
}
