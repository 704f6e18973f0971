namespace LiveCloud.Referees.Tests;

/// <summary>
/// For every vendor action an adapter calls: the request fields it sends and the response fields it reads, as
/// <c>path:type</c> with the vendor model's type (<c>string</c>, <c>number</c>, <c>boolean</c>, a <c>[]</c> suffix for
/// lists; <c>A.B[].C</c> walks into objects and lists; a read field the vendor sends only in some states ends in <c>?</c>). <see cref="FieldNameTests"/> checks each against the vendor's
/// own model (same casing, same type), against what the adapter puts on the wire and reads in its source, and against
/// what the emulator answers.
/// </summary>
/// <param name="Action">The vendor action (Qiniu: the adapter's operation name).</param>
/// <param name="RequestModel">The vendor model of the request, or <see langword="null"/> when the vendor models none.</param>
/// <param name="ResponseModel">The vendor model of the answer, or <see langword="null"/> when there is none to read.</param>
/// <param name="Sent">The fields the adapter sends.</param>
/// <param name="Read">The fields the adapter reads.</param>
/// <param name="NotInModel">Fields of <paramref name="Sent"/> or <paramref name="Read"/> the vendor model lacks, each <c>path: why it is sent or read anyway</c>;
/// <c>*: why</c> stands for every field of a row whose action the vendor models nowhere.</param>
public sealed record ActionFields(string Action, string? RequestModel, string? ResponseModel, string[] Sent, string[] Read, string[]? NotInModel = null)
{
    /// <summary>Shows the action (the test runner's case name).</summary>
    public override string ToString() => Action;

    /// <summary>The path of a <c>path:type</c> entry.</summary>
    public static string PathOf(string entry) => entry[..entry.LastIndexOf(':')];

    /// <summary>The type of a <c>path:type</c> entry (without an optional field's <c>?</c>).</summary>
    public static string TypeOf(string entry) => entry[(entry.LastIndexOf(':') + 1)..].TrimEnd('?');

    /// <summary>Whether a read entry is <c>path:type?</c>: the vendor sends the field only in some states (a failure's reason), so an answer may lack it.</summary>
    public static bool IsOptional(string entry) => entry.EndsWith('?');

    /// <summary>Whether <paramref name="path"/> is recorded as absent from the vendor's model.</summary>
    public bool IsNotInModel(string path) => IsNotedAbsent(path) || NotInModel?.Any(n => n.StartsWith("*:", StringComparison.Ordinal)) == true;

    /// <summary>Whether <paramref name="path"/> itself is noted as absent from a model the vendor has (not a row without one).</summary>
    public bool IsNotedAbsent(string path) => NotInModel?.Any(n => n.StartsWith(path + ":", StringComparison.Ordinal)) == true;
}

/// <summary>The tables, one per vendor.</summary>
public static class FieldTable
{
    // Declared first: the tables below are built from them.
    private static readonly string[] PubTaskFields =
        ["taskID:string", "name:string", "desc:string", "sourceUrls[].url:string", "forwardUrls[].url:string", "status:string", "deliverStopTime:number", "createTime:number"];

    private static readonly string[] VolcengineDomainFields = ["Domain:string", "Vhost:string", "Type:string", "Status:number", "CNAME:string", "CnameCheck:number"];

    /// <summary>
    /// Tencent Cloud Live 2018-08-01 (<c>TencentApiClient</c>); models: <c>{Action}Request</c> and <c>{Action}Response</c>
    /// of <c>tencentcloud-sdk-nodejs</c>' <c>live_models.d.ts</c>, read from the installed package at test time.
    /// </summary>
    public static readonly ActionFields[] Tencent =
    [
        T("DescribeLiveDomains", ["PageSize:number", "PageNum:number"],
            ["AllCount:number", "DomainList[].Name:string", "DomainList[].Type:number", "DomainList[].Status:number", "DomainList[].TargetDomain:string"]),
        T("DescribeLiveDomain", ["DomainName:string"],
            ["DomainInfo.Name:string", "DomainInfo.Type:number", "DomainInfo.Status:number", "DomainInfo.TargetDomain:string"]),
        T("DescribeLiveStreamOnlineList", ["DomainName:string", "PageNum:number", "PageSize:number"],
            ["TotalPage:number", "OnlineInfo[].AppName:string", "OnlineInfo[].StreamName:string", "OnlineInfo[].PublishTimeList[].PublishTime:string"]),
        T("DescribeLiveStreamState", ["DomainName:string", "AppName:string", "StreamName:string"], ["StreamState:string"]),
        T("DropLiveStream", ["DomainName:string", "AppName:string", "StreamName:string"], []),
        T("ForbidLiveStream", ["DomainName:string", "AppName:string", "StreamName:string", "ResumeTime:string", "Reason:string"], []),
        T("ResumeLiveStream", ["DomainName:string", "AppName:string", "StreamName:string"], []),
        T("CreateRecordTask", ["DomainName:string", "AppName:string", "StreamName:string", "EndTime:number", "StartTime:number", "TemplateId:number"], ["TaskId:string"]),
        T("StopRecordTask", ["TaskId:string"], []),
        T("DescribeRecordTask", ["StartTime:number", "EndTime:number", "DomainName:string", "AppName:string", "StreamName:string", "ScrollToken:string"],
            ["ScrollToken:string", "TaskList[].TaskId:string", "TaskList[].AppName:string", "TaskList[].StreamName:string", "TaskList[].DomainName:string",
             "TaskList[].StartTime:number", "TaskList[].EndTime:number", "TaskList[].TemplateId:number", "TaskList[].Stopped:number"]),
        T("DescribeBillBandwidthAndFluxList", ["StartTime:string", "EndTime:string", "Granularity:number", "PlayDomains:string[]"],
            ["PeakBandwidth:number", "PeakBandwidthTime:string", "P95PeakBandwidth:number", "SumFlux:number",
             "DataInfoList[].Time:string", "DataInfoList[].Bandwidth:number", "DataInfoList[].Flux:number"]),
        T("CreateLivePullStreamTask",
            ["SourceType:string", "SourceUrls:string[]", "DomainName:string", "AppName:string", "StreamName:string", "StartTime:string", "EndTime:string",
             "Operator:string", "ToUrl:string", "VodLoopTimes:string", "CallbackUrl:string", "Comment:string"],
            ["TaskId:string"]),
        T("DescribeLivePullStreamTasks", ["PageNum:number", "PageSize:number", "TaskId:string"],
            ["TotalPage:number", "TaskInfos[].TaskId:string", "TaskInfos[].SourceType:string", "TaskInfos[].SourceUrls:string[]", "TaskInfos[].DomainName:string",
             "TaskInfos[].AppName:string", "TaskInfos[].StreamName:string", "TaskInfos[].StartTime:string", "TaskInfos[].EndTime:string", "TaskInfos[].Status:string",
             "TaskInfos[].CreateTime:string", "TaskInfos[].Comment:string"]),
        T("DescribeLivePullStreamTaskStatus", ["TaskId:string"], ["TaskStatusInfo.RunStatus:string", "TaskStatusInfo.ReportTime:string"]),
        T("DeleteLivePullStreamTask", ["TaskId:string", "Operator:string"], []),
    ];

    /// <summary>Tencent's envelope (<c>{"Response":{"Error":{"Code","Message"},"RequestId"}}</c>), read for every action.</summary>
    public static readonly string[] TencentEnvelope = ["Response", "Error", "Code", "Message", "RequestId"];

    /// <summary>
    /// Aliyun ApsaraVideo Live 2016-11-01 (<c>AliyunApiClient</c>); models: <c>{Action}Request</c> and
    /// <c>{Action}ResponseBody</c> of the official TypeScript SDK (live-20161101), recorded in
    /// tests/referees/models/aliyun-live-20161101.json. RPC common parameters (Action, Version, Format, AccessKeyId,
    /// SignatureMethod, SignatureVersion, SignatureNonce, Timestamp, SecurityToken, Signature, RegionId) are not
    /// API fields and are left out.
    /// </summary>
    public static readonly ActionFields[] Aliyun =
    [
        A("DescribeLiveUserDomains", ["PageNumber:number", "PageSize:number"],
            ["Domains.PageData[].DomainName:string", "Domains.PageData[].Cname:string", "Domains.PageData[].LiveDomainStatus:string",
             "Domains.PageData[].DomainStatus:string", "Domains.PageData[].LiveDomainType:string", "PageSize:number", "TotalPage:number", "TotalCount:number"],
            ["Domains.PageData[].DomainStatus: the shared domain reader's fallback to the detail's status name; absent here, it reads LiveDomainStatus",
             "TotalPage: the shared pager reads it for every paged action; this one pages by TotalCount"]),
        A("DescribeLiveDomainDetail", ["DomainName:string"],
            ["DomainDetail.DomainName:string", "DomainDetail.Cname:string", "DomainDetail.DomainStatus:string", "DomainDetail.LiveDomainType:string"]),
        A("DescribeLiveStreamsOnlineList", ["DomainName:string", "AppName:string", "StreamName:string", "QueryType:string", "PageNum:number", "PageSize:number"],
            ["OnlineInfo.LiveStreamOnlineInfo[].DomainName:string", "OnlineInfo.LiveStreamOnlineInfo[].AppName:string", "OnlineInfo.LiveStreamOnlineInfo[].StreamName:string",
             "OnlineInfo.LiveStreamOnlineInfo[].PublishTime:string", "OnlineInfo.LiveStreamOnlineInfo[].PublishUrl:string", "OnlineInfo.LiveStreamOnlineInfo[].ClientIp:string",
             "OnlineInfo.LiveStreamOnlineInfo[].Transcoded:string", "PageSize:number", "TotalPage:number", "TotalNum:number"]),
        A("ForbidLiveStream", ["DomainName:string", "AppName:string", "StreamName:string", "LiveStreamType:string", "Oneshot:string", "ResumeTime:string"], []),
        A("ResumeLiveStream", ["DomainName:string", "AppName:string", "StreamName:string", "LiveStreamType:string"], []),
        A("AddLiveAppRecordConfig",
            ["DomainName:string", "AppName:string", "OssEndpoint:string", "OssBucket:string", "StreamName:string", "OnDemand:number", "DelayTime:number",
             "RecordFormat[].Format:string", "RecordFormat[].OssObjectPrefix:string", "RecordFormat[].SliceOssObjectPrefix:string",
             "RecordFormat[].SliceDuration:number", "RecordFormat[].CycleDuration:number"], []),
        A("DeleteLiveAppRecordConfig", ["DomainName:string", "AppName:string", "StreamName:string"], []),
        A("DescribeLiveRecordConfig", ["DomainName:string", "AppName:string", "StreamName:string", "PageNum:number", "PageSize:number"],
            ["LiveAppRecordList.LiveAppRecord[].AppName:string", "LiveAppRecordList.LiveAppRecord[].OssEndpoint:string", "LiveAppRecordList.LiveAppRecord[].OssBucket:string",
             "LiveAppRecordList.LiveAppRecord[].StreamName:string", "LiveAppRecordList.LiveAppRecord[].OnDemond:number", "LiveAppRecordList.LiveAppRecord[].OnDemand:number",
             "LiveAppRecordList.LiveAppRecord[].DelayTime:number",
             "LiveAppRecordList.LiveAppRecord[].RecordFormatList.RecordFormat[].Format:string", "LiveAppRecordList.LiveAppRecord[].RecordFormatList.RecordFormat[].OssObjectPrefix:string",
             "LiveAppRecordList.LiveAppRecord[].RecordFormatList.RecordFormat[].SliceOssObjectPrefix:string", "LiveAppRecordList.LiveAppRecord[].RecordFormatList.RecordFormat[].SliceDuration:number",
             "LiveAppRecordList.LiveAppRecord[].RecordFormatList.RecordFormat[].CycleDuration:number", "PageSize:number", "TotalPage:number", "TotalNum:number"],
            ["LiveAppRecordList.LiveAppRecord[].OnDemand: the answer spells it OnDemond (as the model does); the correct spelling is read too in case Aliyun fixes it"]),
        A("RealTimeRecordCommand", ["DomainName:string", "AppName:string", "StreamName:string", "Command:string"], []),
        A("DescribeLiveStreamRecordIndexFiles", ["DomainName:string", "AppName:string", "StreamName:string", "StartTime:string", "EndTime:string", "PageNum:number", "PageSize:number"],
            ["RecordIndexInfoList.RecordIndexInfo[].RecordId:string", "RecordIndexInfoList.RecordIndexInfo[].RecordUrl:string", "RecordIndexInfoList.RecordIndexInfo[].AppName:string",
             "RecordIndexInfoList.RecordIndexInfo[].StreamName:string", "RecordIndexInfoList.RecordIndexInfo[].OssBucket:string", "RecordIndexInfoList.RecordIndexInfo[].OssEndpoint:string",
             "RecordIndexInfoList.RecordIndexInfo[].OssObject:string", "RecordIndexInfoList.RecordIndexInfo[].StartTime:string", "RecordIndexInfoList.RecordIndexInfo[].EndTime:string",
             "RecordIndexInfoList.RecordIndexInfo[].Duration:number", "RecordIndexInfoList.RecordIndexInfo[].Format:string", "PageSize:number", "TotalPage:number", "TotalNum:number"]),
        A("DescribeLiveDomainTrafficData", ["StartTime:string", "EndTime:string", "Interval:string", "DomainName:string"],
            ["TrafficDataPerInterval.DataModule[].TimeStamp:string", "TrafficDataPerInterval.DataModule[].TrafficValue:string",
             "TrafficDataPerInterval.DataModule[].HttpTrafficValue:string", "TrafficDataPerInterval.DataModule[].HttpsTrafficValue:string"]),

        // SourceUrls travels as the JSON text of the list (the SDK's CreateLivePullToPushShrinkRequest); the model types the list.
        A("CreateLivePullToPush",
            ["Region:string", "SourceType:string", "SourceUrls:string[]", "DstUrl:string", "StartTime:string", "EndTime:string", "SourceProtocol:string",
             "RepeatNumber:number", "CallbackUrl:string", "TaskName:string"],
            ["TaskId:string", "RetCode:number", "Description:string"]),
        A("DescribeLivePullToPush", ["Region:string", "TaskId:string"],
            ["RetCode:number", "Description:string", "TaskId:string", "TaskStatus:number", "TaskInvalidReason:string?", "TaskExitReason:string?",
             "TaskInfo.TaskId:string", "TaskInfo.SourceType:string", "TaskInfo.SourceUrls:string[]", "TaskInfo.DstUrl:string", "TaskInfo.StartTime:string", "TaskInfo.EndTime:string"]),
        A("DescribeLivePullToPushList", ["Region:string", "PageNumber:number", "PageSize:number"],
            ["Total:number", "TaskList[].TaskId:string", "TaskList[].TaskStatus:number", "TaskList[].TaskInvalidReason:string?", "TaskList[].TaskExitReason:string?",
             "TaskList[].TaskInfo.TaskId:string", "TaskList[].TaskInfo.SourceType:string", "TaskList[].TaskInfo.SourceUrls:string[]", "TaskList[].TaskInfo.DstUrl:string",
             "TaskList[].TaskInfo.StartTime:string", "TaskList[].TaskInfo.EndTime:string"]),
        A("DeleteLivePullToPush", ["Region:string", "TaskId:string"], ["RetCode:number", "Description:string"]),
    ];

    /// <summary>Aliyun's error envelope (<c>{RequestId, HostId, Code, Message, Recommend}</c>, either casing).</summary>
    public static readonly string[] AliyunEnvelope = ["Code", "code", "Message", "message", "RequestId", "requestId"];

    /// <summary>The RPC common parameters, sent with every Aliyun call.</summary>
    public static readonly string[] AliyunCommon = ["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "Signature", "RegionId"];

    /// <summary>
    /// Qiniu Pili v2 (<c>QiniuApiClient</c>); models: the structs of Qiniu's Go SDK, package pili (json tags; query
    /// parameters from its setQuery calls), recorded in tests/referees/models/qiniu-pili.json.
    /// </summary>
    public static readonly ActionFields[] Qiniu =
    [
        new("CreateStream", null, null, ["key:string"], [],
            ["key: Qiniu's Go SDK has no create-stream call; the field is the documented body of POST /v2/hubs/{hub}/streams (docs/vendors/qiniu.md)"]),
        new("GetStream", null, "GetStreamBaseInfoResponse", [],
            ["createdAt:number", "updatedAt:number", "expireAt:number", "disabledTill:number", "converts:string[]"]),
        new("ListStreams", "GetStreamListRequest", "GetStreamsListResponse", ["limit:number", "liveonly:boolean", "marker:string", "prefix:string"],
            ["items[].key:string", "marker:string"]),
        new("GetLiveStatus", null, "GetStreamLiveStatusResponse", [],
            ["startAt:number", "clientIP:string", "serverIP:string", "bps:number", "playCount:number"]),
        new("BatchLiveStatus", "BatchGetStreamLiveStatusRequest", "BatchGetStreamLiveStatusResponse", ["items:string[]"],
            ["items[].key:string", "items[].startAt:number", "items[].clientIP:string", "items[].serverIP:string", "items[].bps:number", "items[].playCount:number"],
            ["items[].playCount: the shared live-status reader reads it; the batch answer has no play count, so it stays null"]),
        new("DisableStream", "StreamDisabledRequest", null, ["disabledTill:number", "disablePeriodSecond:number"], []),
        new("DisableStreamFor", "StreamDisabledRequest", null, ["disabledTill:number", "disablePeriodSecond:number"], []),
        new("EnableStream", "StreamDisabledRequest", null, ["disabledTill:number", "disablePeriodSecond:number"], []),
        new("GetPushHistory", "GetStreamHistoryRequest", "GetStreamHistoryResponse", ["start:number", "end:number"],
            ["items[].start:number", "items[].end:number", "items[].clientIP:string", "items[].serverIP:string"]),
        new("GetHub", null, "GetHubInfoResponse", [],
            ["hubName:string", "storageBucket:string", "vodDomain:string", "publishSecurity:string",
             "domains[].domain:string", "domains[].type:string", "domains[].cname:string", "domains[].disable:boolean", "domains[].certEnable:boolean"],
            ["domains[].disable: the shared domain reader reads it; a hub's domain list has no flags, so they read false",
             "domains[].certEnable: the shared domain reader reads it; a hub's domain list has no flags, so they read false"]),
        new("ListDomains", null, "GetDomainsListResponse", [],
            ["domains[].domain:string", "domains[].type:string", "domains[].cname:string", "domains[].disable:boolean", "domains[].certEnable:boolean"],
            ["domains[].disable: the shared domain reader reads it; the list has no disable flag, so it reads false (GetDomain has it)"]),
        new("GetDomain", null, "GetDomainInfoResponse", [],
            ["domain:string", "type:string", "cname:string", "disable:boolean", "certEnable:boolean"]),
        new("SaveAs", "StreamSaveasRequest", "StreamSaveasResponse",
            ["fname:string", "start:number", "end:number", "format:string", "pipeline:string", "notify:string", "persistentDeleteAfterDays:number"],
            ["fname:string", "persistentID:string"]),
        new("Snapshot", "StreamSnapshotRequest", "StreamSnapshotResponse",
            ["time:number", "fname:string", "format:string", "notify:string", "deleteAfterDays:number"],
            ["fname:string", "persistentID:string"]),
        new("CreatePubTask", null, null,
            ["name:string", "desc:string", "sourceUrls[].url:string", "sourceUrls[].videoType:number", "runType:string", "forwardUrls[].url:string", "deliverStopTime:number",
             "statusCallback.type:string", "statusCallback.url:string", "statusCallback.vars.taskID:string", "statusCallback.vars.status:string",
             "statusCallback.vars.startTime:string", "statusCallback.vars.stopTime:string"],
            ["taskID:string"], [PubNotModelled]),
        new("StartPubTask", null, null, [], [], [PubNotModelled]),
        new("StopPubTask", null, null, [], [], [PubNotModelled]),
        new("DeletePubTask", null, null, [], [], [PubNotModelled]),
        new("GetPubTask", null, null, [], PubTaskRead("", []), [PubNotModelled]),
        new("ListPubTasks", null, null, ["limit:number", "marker:string"], PubTaskRead("list[].", ["marker:string", "isEnd:boolean"]), [PubNotModelled]),
    ];

    /// <summary>Qiniu's error envelope, <c>{"error":"…"}</c>.</summary>
    public static readonly string[] QiniuEnvelope = ["error"];

    // Qiniu's SDKs (Go, Node, Python) have no Pub code: the Pub API's pages are the only model.
    private const string PubNotModelled = "*: no Qiniu SDK models the Pub API; the fields are those of its documented create, details and list (developer.qiniu.com/pili/7320, 7328, 7329, 7326)";

    private static string[] PubTaskRead(string prefix, string[] more) => [.. PubTaskFields.Select(f => prefix + f), .. more];

    /// <summary>
    /// Volcengine Live 2023-01-01 (<c>VolcengineApiClient</c>); models: <c>{Action}Body</c> (POST) or <c>{Action}Query</c>
    /// (GET) and <c>{Action}ResResult</c> (the answer's <c>Result</c>) of Volcengine's Go SDK (volc-sdk-golang,
    /// service/live/v20230101), recorded in tests/referees/models/volcengine-live-20230101.json.
    /// </summary>
    public static readonly ActionFields[] Volcengine =
    [
        V("ListDomainDetail", ["PageNum:number", "PageSize:number"], [.. VolcengineDomainRead("DomainList[]."), "Total:number"]),
        V("DescribeDomain", ["DomainList:string[]"], VolcengineDomainRead("DomainList[].")),
        V("DescribeLiveStreamInfoByPage", ["Domain:string", "StreamType:string", "QueryType:string", "App:string", "Stream:string", "PageNum:number", "PageSize:number"],
            ["StreamInfoList[].Vhost:string", "StreamInfoList[].Domain:string", "StreamInfoList[].App:string", "StreamInfoList[].Stream:string",
             "StreamInfoList[].SessionStartTime:string", "StreamInfoList[].SourceType:string"], get: true),
        V("DescribeLiveStreamState", ["Domain:string", "App:string", "Stream:string"], ["stream_state:string"], get: true),
        V("ForbidStream", ["Domain:string", "App:string", "Stream:string", "EndTime:string"], []),
        V("ResumeStream", ["Domain:string", "App:string", "Stream:string"], []),
        V("KillStream", ["Vhost:string", "App:string", "Stream:string"], []),
        V("CreatePullRecordTask", ["Domain:string", "App:string", "Stream:string", "StreamURL:string", "EndTime:string"], ["TaskId:string"]),
        V("StopPullRecordTask", ["TaskId:string"], []),
        V("DescribeRecordTaskFileHistory",
            ["DateFrom:string", "DateTo:string", "PageNum:number", "PageSize:number", "Type:string", "Vhost:string", "App:string", "Stream:string"],
            ["Data[].Vhost:string", "Data[].App:string", "Data[].Stream:string", "Data[].StartTimeUTC:string", "Data[].EndTimeUTC:string", "Data[].Duration:string",
             "Data[].FileName:string", "Data[].Format:string", "Data[].Bucket:string", "Data[].Path:string", "Data[].Vid:string",
             "Pagination.PageTotal:number", "Pagination.TotalCount:number"]),
        V("CreatePullToPushTask",
            ["StartTime:number", "EndTime:number", "Type:number", "SrcAddr:string", "VodSrcAddrs[].SrcAddr:string", "CycleMode:number", "Domain:string", "App:string",
             "Stream:string", "Title:string", "GroupName:string"],
            ["TaskId:string"]),
        // A live source's task answers SrcAddr, a file's SrcAddrS: each is optional.
        V("ListPullToPushTaskV2", ["Page:number", "Size:number", "Title:string", "GroupNames:string[]"],
            ["List[].TaskId:string", "List[].Title:string", "List[].Status:string", "List[].StartTime:string", "List[].EndTime:string", "List[].Type:number",
             "List[].SrcAddr:string?", "List[].SrcAddrS:string[]?", "List[].DstAddr:string", "List[].GroupName:string",
             "Pagination.PageTotal:number", "Pagination.TotalCount:number"]),
        V("StopPullToPushTask", ["TaskId:string", "GroupName:string"], []),
        V("DescribeLiveTrafficData", ["StartTime:string", "EndTime:string", "Aggregation:number", "DomainList:string[]"],
            ["TotalDownTraffic:number", "TotalUpTraffic:number", "TrafficDataList[].TimeStamp:string", "TrafficDataList[].DownTraffic:number", "TrafficDataList[].UpTraffic:number"]),
        V("GeneratePlayURL", ["Domain:string", "App:string", "Stream:string", "StreamType:string", "Suffix:string", "ExpiredTime:string"],
            ["URLList[].Protocol:string", "URLList[].URL:string", "URLList[].CDN:string", "URLList[].Type:string"]),
    ];

    /// <summary>Volcengine's envelope (<c>{"ResponseMetadata":{"RequestId",…,"Error":{"Code","CodeN","Message"}},"Result":{…}}</c>), read for every action.</summary>
    public static readonly string[] VolcengineEnvelope = ["ResponseMetadata", "RequestId", "Error", "Code", "CodeN", "Message", "Result"];

    /// <summary>The actions the Volcengine client calls with GET (the rest are POSTs with a JSON body).</summary>
    public static IEnumerable<string> VolcengineGets => Volcengine.Where(a => a.RequestModel!.EndsWith("Query", StringComparison.Ordinal)).Select(a => a.Action);

    /// <summary>
    /// Huawei Cloud Live (<c>HuaweiApiClient</c>); models: <c>{Action}Request</c> (its body model's fields merged in) and
    /// <c>{Action}Response</c> of Huawei's Go SDK (huaweicloud-sdk-go-v3, services/live v1 and v2), recorded in
    /// tests/referees/models/huawei-live.json. The project id travels in the path and <c>X-Project-Id</c>, not as a field.
    /// </summary>
    public static readonly ActionFields[] Huawei =
    [
        H("ShowDomain", ["domain:string"], ["domain_info[].domain:string", "domain_info[].status:string", "domain_info[].domain_type:string", "domain_info[].domain_cname:string"]),
        H("ShowDomainKeyChain", ["domain:string"], ["auth_type:string", "timeout:number"]),
        H("ListLiveStreamsOnline", ["publish_domain:string", "app:string", "stream:string", "offset:number", "limit:number"],
            ["total_num:number", "streams[].publish_domain:string", "streams[].app:string", "streams[].stream:string", "streams[].start_time:string",
             "streams[].video_bitrate:number", "streams[].audio_bitrate:number", "streams[].video_codec:string", "streams[].resolution:string", "streams[].client_ip:string"]),
        H("ListStreamForbidden", ["domain:string", "app_name:string", "stream_name:string", "page:number", "size:number"],
            ["total:number", "blocks[].app_name:string", "blocks[].stream_name:string", "blocks[].resume_time:string"]),
        H("CreateStreamForbidden", ["domain:string", "app_name:string", "stream_name:string", "resume_time:string"], []),
        H("UpdateStreamForbidden", ["domain:string", "app_name:string", "stream_name:string", "resume_time:string"], []),
        H("DeleteStreamForbidden", ["domain:string", "app_name:string", "stream_name:string"], []),
        H("CreateStreamForbiddenOnce", ["domain:string", "app_name:string", "stream_name:string"], []),
        H("RunRecord", ["action:string", "publish_domain:string", "app:string", "stream:string"], []),
        H("CreateRecordRule",
            ["publish_domain:string", "app:string", "stream:string", "record_type:string", "default_record_config.record_format:string[]",
             "default_record_config.obs_addr.bucket:string", "default_record_config.obs_addr.location:string", "default_record_config.obs_addr.object:string"],
            ["id:string"]),
        H("ListRecordRules", ["publish_domain:string", "app:string", "stream:string", "offset:number", "limit:number"],
            ["total:number", "record_config[].id:string", "record_config[].publish_domain:string", "record_config[].app:string", "record_config[].stream:string",
             "record_config[].record_type:string", "record_config[].default_record_config.record_format:string[]", "record_config[].default_record_config.obs_addr.bucket:string",
             "record_config[].default_record_config.obs_addr.location:string", "record_config[].default_record_config.obs_addr.object:string"]),
        H("ListRecordContents", ["publish_domain:string", "app:string", "stream:string", "start_time:string", "end_time:string", "offset:number", "limit:number"],
            ["total:number", "record_contents[].publish_domain:string", "record_contents[].app:string", "record_contents[].stream:string", "record_contents[].record_format:string",
             "record_contents[].download_url:string", "record_contents[].start_time:string", "record_contents[].end_time:string", "record_contents[].duration:number"]),
        H("CreatePullTask",
            ["region:string", "source_type:string", "source_urls:string[]", "domain:string", "app_name:string", "stream_name:string", "push_args:string",
             "start_time:string", "end_time:string", "vod_loop_time:string"],
            ["task_id:string"]),
        H("ListPullTasks", ["region:string", "task_id:string", "offset:number", "limit:number"],
            ["total:number", "task_infos[].task_id:string", "task_infos[].status:string", "task_infos[].source_type:string", "task_infos[].source_urls:string[]",
             "task_infos[].domain:string", "task_infos[].app_name:string", "task_infos[].stream_name:string", "task_infos[].create_time:string",
             "task_infos[].start_time:string", "task_infos[].end_time:string"]),
        H("DeletePullTask", ["region:string", "task_id:string"], []),
        H("ListDomainTrafficSummary", ["play_domains:string[]", "start_time:string", "end_time:string"], ["traffic_list[].domain:string", "traffic_list[].value:number"]),
    ];

    /// <summary>Huawei's error envelope (<c>{"error_code","error_msg"}</c>, or <c>code</c>/<c>message</c>; the gateway adds <c>request_id</c>).</summary>
    public static readonly string[] HuaweiEnvelope = ["error_code", "code", "error_msg", "message", "request_id"];

    private static string[] VolcengineDomainRead(string prefix) => [.. VolcengineDomainFields.Select(f => prefix + f)];

    private static ActionFields V(string action, string[] sent, string[] read, bool get = false) =>
        new(action, action + (get ? "Query" : "Body"), read.Length == 0 ? null : action + "ResResult", sent, read);

    private static ActionFields H(string action, string[] sent, string[] read) => new(action, action + "Request", action + "Response", sent, read);

    private static ActionFields T(string action, string[] sent, string[] read) => new(action, action + "Request", action + "Response", sent, read);

    private static ActionFields A(string action, string[] sent, string[] read, string[]? notInModel = null) =>
        new(action, action + "Request", action + "ResponseBody", sent, read, notInModel);
}
