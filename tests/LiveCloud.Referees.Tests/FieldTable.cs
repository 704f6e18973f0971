namespace LiveCloud.Referees.Tests;

/// <summary>
/// For every vendor action an adapter calls: the request fields it sends and the response fields it reads, as
/// <c>path:type</c> with the vendor model's type (<c>string</c>, <c>number</c>, <c>boolean</c>, a <c>[]</c> suffix for
/// lists; <c>A.B[].C</c> walks into objects and lists). <see cref="FieldNameTests"/> checks each against the vendor's
/// own model (same casing, same type), against what the adapter puts on the wire and reads in its source, and against
/// what the emulator answers.
/// </summary>
/// <param name="Action">The vendor action (Qiniu: the adapter's operation name).</param>
/// <param name="RequestModel">The vendor model of the request, or <see langword="null"/> when the vendor models none.</param>
/// <param name="ResponseModel">The vendor model of the answer, or <see langword="null"/> when there is none to read.</param>
/// <param name="Sent">The fields the adapter sends.</param>
/// <param name="Read">The fields the adapter reads.</param>
/// <param name="NotInModel">Fields of <paramref name="Sent"/> or <paramref name="Read"/> the vendor model lacks, each <c>path: why it is sent or read anyway</c>.</param>
public sealed record ActionFields(string Action, string? RequestModel, string? ResponseModel, string[] Sent, string[] Read, string[]? NotInModel = null)
{
    /// <summary>Shows the action (the test runner's case name).</summary>
    public override string ToString() => Action;

    /// <summary>The path of a <c>path:type</c> entry.</summary>
    public static string PathOf(string entry) => entry[..entry.LastIndexOf(':')];

    /// <summary>The type of a <c>path:type</c> entry.</summary>
    public static string TypeOf(string entry) => entry[(entry.LastIndexOf(':') + 1)..];

    /// <summary>Whether <paramref name="path"/> is recorded as absent from the vendor's model.</summary>
    public bool IsNotInModel(string path) => NotInModel?.Any(n => n.StartsWith(path + ":", StringComparison.Ordinal)) == true;
}

/// <summary>The tables, one per vendor.</summary>
public static class FieldTable
{
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
    ];

    /// <summary>Qiniu's error envelope, <c>{"error":"…"}</c>.</summary>
    public static readonly string[] QiniuEnvelope = ["error"];

    private static ActionFields T(string action, string[] sent, string[] read) => new(action, action + "Request", action + "Response", sent, read);

    private static ActionFields A(string action, string[] sent, string[] read, string[]? notInModel = null) =>
        new(action, action + "Request", action + "ResponseBody", sent, read, notInModel);
}
