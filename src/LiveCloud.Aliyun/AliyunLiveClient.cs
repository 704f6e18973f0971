using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveCloud.Aliyun.Signing;
using LiveCloud.Http;

namespace LiveCloud.Aliyun;

/// <summary>
/// The Aliyun ApsaraVideo Live OpenAPI (<c>live.aliyuncs.com</c>, version 2016-11-01) calls LiveCloud uses.
/// Every call goes through the provider's <see cref="VendorHttpPipeline"/>, built and signed afresh per
/// attempt. Reach it from the provider with <c>provider.GetService(typeof(AliyunLiveClient))</c>.
/// </summary>
/// <remarks>
/// Retry safety: <c>Describe*</c> calls are reads. <c>ForbidLiveStream</c> (blacklisting, not
/// <c>Oneshot</c>) and <c>ResumeLiveStream</c> set a state to an absolute value, so repeating them after
/// an ambiguous failure ends in the same state: retried as idempotent writes. <c>RealTimeRecordCommand</c>
/// is treated the same way (see <see cref="RealTimeRecordCommandAsync"/>). A kick (<c>ForbidLiveStream
/// Oneshot=yes</c>), <c>AddLiveAppRecordConfig</c> and <c>DeleteLiveAppRecordConfig</c> are never retried:
/// a second kick could hit a broadcaster who reconnected, and Aliyun does not document the record-config
/// calls as idempotent.
/// </remarks>
public class AliyunLiveClient
{
    private const string ProviderName = AliyunOptions.SectionName;
    private readonly VendorHttpPipeline _pipeline;
    private readonly AliyunRequestFactory _requests;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (credentials, endpoint, signature version).</param>
    /// <param name="pipeline">The vendor pipeline every call goes through.</param>
    /// <param name="timeProvider">The clock of request timestamps.</param>
    /// <param name="nonceSource">Makes each request's signature nonce; a random UUID when <see langword="null"/>.</param>
    public AliyunLiveClient(AliyunOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null, Func<string>? nonceSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        _requests = new AliyunRequestFactory(options, timeProvider ?? TimeProvider.System, nonceSource ?? (static () => Guid.NewGuid().ToString("D")));
    }

    /// <summary><c>DescribeLiveUserDomains</c>, every page: the account's ingest (<c>liveEdge</c>) and streaming (<c>liveVideo</c>) domains.</summary>
    /// <param name="pageSize">Domains per page (1–50).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual async IAsyncEnumerable<LiveDomain> DescribeLiveUserDomainsAsync(int pageSize = 50, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 50);
        await foreach (JsonElement item in PagesAsync("DescribeLiveUserDomains", [], "PageNumber", "PageSize", pageSize, "Domains", "PageData", "TotalCount", cancellationToken).ConfigureAwait(false))
        {
            yield return ToDomain(item, "LiveDomainStatus");
        }
    }

    /// <summary><c>DescribeLiveDomainDetail</c>: the domain's status and the CNAME Aliyun assigned it.</summary>
    /// <exception cref="LiveCloudNotFoundException">Aliyun does not know the domain.</exception>
    public virtual async Task<LiveDomain> DescribeLiveDomainDetailAsync(string domain, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        JsonElement root = await SendAsync(VendorOperation.Read("DescribeLiveDomainDetail"), [new("DomainName", domain)], cancellationToken).ConfigureAwait(false);
        if (!root.TryGetProperty("DomainDetail", out JsonElement detail) || detail.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("DescribeLiveDomainDetail", "DomainDetail");
        }

        return ToDomain(detail, "DomainStatus");
    }

    /// <summary><c>DescribeLiveStreamsOnlineList</c>, every page.</summary>
    /// <param name="domain">The streaming domain.</param>
    /// <param name="appName">Only this app; every app when <see langword="null"/>.</param>
    /// <param name="streamName">Only this stream; every stream when <see langword="null"/>.</param>
    /// <param name="strict">An exact (<c>strict</c>) rather than <c>fuzzy</c> name match.</param>
    /// <param name="pageSize">Streams per page (1–3000).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<AliyunOnlineStreamInfo> DescribeLiveStreamsOnlineListAsync(string domain, string? appName = null, string? streamName = null, bool strict = false, int pageSize = 3000, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 3000);
        var parameters = new List<KeyValuePair<string, string>> { new("DomainName", domain) };
        Add(parameters, "AppName", appName);
        Add(parameters, "StreamName", streamName);
        parameters.Add(new("QueryType", strict ? "strict" : "fuzzy"));
        return Map(PagesAsync("DescribeLiveStreamsOnlineList", parameters, "PageNum", "PageSize", pageSize, "OnlineInfo", "LiveStreamOnlineInfo", "TotalNum", cancellationToken), static item => new AliyunOnlineStreamInfo(
            Text(item, "DomainName") ?? string.Empty,
            Text(item, "AppName") ?? string.Empty,
            Text(item, "StreamName") ?? string.Empty,
            Time(item, "PublishTime"),
            Text(item, "PublishUrl"),
            Text(item, "ClientIp"),
            string.Equals(Text(item, "Transcoded"), "yes", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// <c>ForbidLiveStream</c>: disconnects the broadcaster and, unless <paramref name="oneshot"/>, blacklists the
    /// stream until <paramref name="resumeTime"/> (Aliyun's default: 6 months). A blacklisting is retried as an
    /// idempotent write; a <paramref name="oneshot"/> kick is never retried.
    /// </summary>
    /// <param name="pushDomain">The ingest domain.</param>
    /// <param name="appName">The application.</param>
    /// <param name="streamName">The stream.</param>
    /// <param name="resumeTime">When pushing is allowed again.</param>
    /// <param name="oneshot">Kick only (<c>Oneshot=yes</c>), no blacklisting.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task ForbidLiveStreamAsync(string pushDomain, string appName, string streamName, DateTimeOffset? resumeTime = null, bool oneshot = false, CancellationToken cancellationToken = default)
    {
        HostName.Validate(pushDomain, nameof(pushDomain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("DomainName", pushDomain),
            new("AppName", appName),
            new("StreamName", streamName),
            new("LiveStreamType", "publisher"),
        };
        if (oneshot)
        {
            parameters.Add(new("Oneshot", "yes"));
        }

        if (resumeTime is { } resume)
        {
            parameters.Add(new("ResumeTime", AliyunRequestFactory.FormatTimestamp(resume)));
        }

        VendorOperation operation = oneshot ? VendorOperation.Write("ForbidLiveStream") : VendorOperation.IdempotentWrite("ForbidLiveStream");
        return SendAsync(operation, parameters, cancellationToken);
    }

    /// <summary><c>ResumeLiveStream</c>: allows a blacklisted stream again (idempotent: the end state is "allowed").</summary>
    public virtual Task ResumeLiveStreamAsync(string pushDomain, string appName, string streamName, CancellationToken cancellationToken = default)
    {
        HostName.Validate(pushDomain, nameof(pushDomain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        return SendAsync(
            VendorOperation.IdempotentWrite("ResumeLiveStream"),
            [new("DomainName", pushDomain), new("AppName", appName), new("StreamName", streamName), new("LiveStreamType", "publisher")],
            cancellationToken);
    }

    /// <summary><c>AddLiveAppRecordConfig</c> (never retried).</summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task AddLiveAppRecordConfigAsync(string domain, AliyunRecordConfig config, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentNullException.ThrowIfNull(config);
        if (config.Formats.Count == 0)
        {
            throw new ArgumentException("A recording configuration needs at least one format.", nameof(config));
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("DomainName", domain),
            new("AppName", config.AppName),
            new("OssEndpoint", config.OssEndpoint),
            new("OssBucket", config.OssBucket),
        };
        Add(parameters, "StreamName", config.StreamName);
        Add(parameters, "OnDemand", config.OnDemand);
        Add(parameters, "DelayTime", config.DelayTime);
        for (int i = 0; i < config.Formats.Count; i++)
        {
            AliyunRecordFormat format = config.Formats[i];
            string prefix = string.Create(CultureInfo.InvariantCulture, $"RecordFormat.{i + 1}.");
            parameters.Add(new(prefix + "Format", format.Format));
            parameters.Add(new(prefix + "OssObjectPrefix", format.OssObjectPrefix));
            Add(parameters, prefix + "SliceOssObjectPrefix", format.SliceOssObjectPrefix);
            Add(parameters, prefix + "SliceDuration", format.SliceDuration);
            Add(parameters, prefix + "CycleDuration", format.CycleDuration);
        }

        return SendAsync(VendorOperation.Write("AddLiveAppRecordConfig"), parameters, cancellationToken);
    }

    /// <summary><c>DeleteLiveAppRecordConfig</c> (never retried: a repeat after success reports "not found").</summary>
    public virtual Task DeleteLiveAppRecordConfigAsync(string domain, string appName, string? streamName = null, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        var parameters = new List<KeyValuePair<string, string>> { new("DomainName", domain), new("AppName", appName) };
        Add(parameters, "StreamName", streamName);
        return SendAsync(VendorOperation.Write("DeleteLiveAppRecordConfig"), parameters, cancellationToken);
    }

    /// <summary><c>DescribeLiveRecordConfig</c>, every page.</summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="appName">Only this app.</param>
    /// <param name="streamName">Only this stream.</param>
    /// <param name="pageSize">Configurations per page (5–30).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<AliyunRecordConfig> DescribeLiveRecordConfigAsync(string domain, string? appName = null, string? streamName = null, int pageSize = 30, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 5);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 30);
        var parameters = new List<KeyValuePair<string, string>> { new("DomainName", domain) };
        Add(parameters, "AppName", appName);
        Add(parameters, "StreamName", streamName);
        return Map(PagesAsync("DescribeLiveRecordConfig", parameters, "PageNum", "PageSize", pageSize, "LiveAppRecordList", "LiveAppRecord", "TotalNum", cancellationToken), static item =>
            new AliyunRecordConfig(
                Text(item, "AppName") ?? string.Empty,
                Text(item, "OssEndpoint") ?? string.Empty,
                Text(item, "OssBucket") ?? string.Empty,
                [.. Items(item, "RecordFormatList", "RecordFormat").Select(f => new AliyunRecordFormat(
                    Text(f, "Format") ?? string.Empty,
                    Text(f, "OssObjectPrefix") ?? string.Empty,
                    Text(f, "SliceOssObjectPrefix"),
                    (int?)Number(f, "SliceDuration"),
                    (int?)Number(f, "CycleDuration")))])
            {
                StreamName = string.IsNullOrEmpty(Text(item, "StreamName")) ? null : Text(item, "StreamName"),
                OnDemand = (int?)(Number(item, "OnDemond") ?? Number(item, "OnDemand")),
                DelayTime = (int?)Number(item, "DelayTime"),
            });
    }

    /// <summary>
    /// <c>RealTimeRecordCommand</c>. Needs a recording configuration with <c>OnDemand=7</c> for the stream's app.
    /// Retried as an idempotent write: <c>start</c> and <c>stop</c> ask for a state ("recording", "not
    /// recording"), so a repeat within the retry window asks for the same state; losing a show's recording
    /// because a start was not retried is the worse failure. (Aliyun does not document this; it is our call.)
    /// </summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="appName">The application.</param>
    /// <param name="streamName">The stream.</param>
    /// <param name="command">The command.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task RealTimeRecordCommandAsync(string domain, string appName, string streamName, AliyunRecordCommand command, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        string text = command switch
        {
            AliyunRecordCommand.Start => "start",
            AliyunRecordCommand.Stop => "stop",
            AliyunRecordCommand.CancelDelay => "cancel_delay",
            AliyunRecordCommand.Restart => "restart",
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown record command."),
        };
        return SendAsync(
            VendorOperation.IdempotentWrite("RealTimeRecordCommand"),
            [new("DomainName", domain), new("AppName", appName), new("StreamName", streamName), new("Command", text)],
            cancellationToken);
    }

    /// <summary><c>DescribeLiveStreamRecordIndexFiles</c>, every page: the recorded index files of a stream in a time range.</summary>
    /// <param name="domain">The main streaming domain.</param>
    /// <param name="appName">The application.</param>
    /// <param name="streamName">The stream.</param>
    /// <param name="startTime">The range's start.</param>
    /// <param name="endTime">The range's end.</param>
    /// <param name="pageSize">Files per page (5–30).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<AliyunRecordIndexFile> DescribeLiveStreamRecordIndexFilesAsync(string domain, string appName, string streamName, DateTimeOffset startTime, DateTimeOffset endTime, int pageSize = 30, CancellationToken cancellationToken = default)
    {
        HostName.Validate(domain, nameof(domain));
        ArgumentException.ThrowIfNullOrEmpty(appName);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 5);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 30);
        List<KeyValuePair<string, string>> parameters =
        [
            new("DomainName", domain),
            new("AppName", appName),
            new("StreamName", streamName),
            new("StartTime", AliyunRequestFactory.FormatTimestamp(startTime)),
            new("EndTime", AliyunRequestFactory.FormatTimestamp(endTime)),
        ];
        return Map(PagesAsync("DescribeLiveStreamRecordIndexFiles", parameters, "PageNum", "PageSize", pageSize, "RecordIndexInfoList", "RecordIndexInfo", "TotalNum", cancellationToken), static item =>
        {
            DateTimeOffset start = Time(item, "StartTime") ?? DateTimeOffset.UnixEpoch;
            DateTimeOffset end = Time(item, "EndTime") ?? start;
            double? seconds = Number(item, "Duration");
            return new AliyunRecordIndexFile(
                Text(item, "RecordId") ?? string.Empty,
                Text(item, "RecordUrl") ?? string.Empty,
                Text(item, "AppName") ?? string.Empty,
                Text(item, "StreamName") ?? string.Empty,
                Text(item, "OssBucket"),
                Text(item, "OssEndpoint"),
                Text(item, "OssObject"),
                start,
                end,
                seconds is { } s ? TimeSpan.FromSeconds(s) : end - start,
                Text(item, "Format") ?? "m3u8");
        });
    }

    /// <summary><c>DescribeLiveDomainTrafficData</c>: downstream traffic per interval (bytes; monitoring data, not billing data).</summary>
    /// <param name="domain">The streaming domain (a comma list, or <see langword="null"/> for all).</param>
    /// <param name="startTime">The range's start (within the last 90 days).</param>
    /// <param name="endTime">The range's end.</param>
    /// <param name="interval">300 (default), 3600 or 86400 seconds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual async Task<IReadOnlyList<AliyunTrafficSample>> DescribeLiveDomainTrafficDataAsync(string? domain, DateTimeOffset startTime, DateTimeOffset endTime, int interval = 300, CancellationToken cancellationToken = default)
    {
        if (interval is not (300 or 3600 or 86400))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Interval must be 300, 3600 or 86400 seconds.");
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("StartTime", AliyunRequestFactory.FormatTimestamp(startTime)),
            new("EndTime", AliyunRequestFactory.FormatTimestamp(endTime)),
            new("Interval", interval.ToString(CultureInfo.InvariantCulture)),
        };
        Add(parameters, "DomainName", domain);
        JsonElement root = await SendAsync(VendorOperation.Read("DescribeLiveDomainTrafficData"), parameters, cancellationToken).ConfigureAwait(false);
        return [.. Items(root, "TrafficDataPerInterval", "DataModule").Select(m => new AliyunTrafficSample(
            Time(m, "TimeStamp") ?? DateTimeOffset.UnixEpoch,
            Number(m, "TrafficValue") ?? 0,
            Number(m, "HttpTrafficValue") ?? 0,
            Number(m, "HttpsTrafficValue") ?? 0))];
    }

    private async Task<JsonElement> SendAsync(VendorOperation operation, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string action = operation.Name;
        return await _pipeline.SendAsync(
            operation,
            () => _requests.Create(action, parameters),
            (response, token) => ReadAsync(action, response, token),
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonElement> ReadAsync(string action, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw AliyunErrors.ToException(ProviderName, action, response, body);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(action, "a JSON object");
            }

            if (doc.RootElement.TryGetProperty("Code", out JsonElement code) && code.ValueKind == JsonValueKind.String && !doc.RootElement.TryGetProperty("RequestId", out _))
            {
                // An error shape inside a 2xx: classify it like any other error.
                throw AliyunErrors.ToException(ProviderName, action, response, body);
            }

            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new LiveCloudException($"{ProviderName} {action} answered HTTP {(int)response.StatusCode} with a body that is not JSON.", ex)
            {
                Provider = ProviderName,
                Status = response.StatusCode,
            };
        }
    }

    private async IAsyncEnumerable<JsonElement> PagesAsync(
        string action,
        IReadOnlyList<KeyValuePair<string, string>> filter,
        string pageNumberName,
        string pageSizeName,
        int pageSize,
        string wrapper,
        string itemName,
        string totalName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int page = 1; ; page++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parameters = new List<KeyValuePair<string, string>>(filter)
            {
                new(pageNumberName, page.ToString(CultureInfo.InvariantCulture)),
                new(pageSizeName, pageSize.ToString(CultureInfo.InvariantCulture)),
            };
            JsonElement root = await SendAsync(VendorOperation.Read(action), parameters, cancellationToken).ConfigureAwait(false);
            int count = 0;
            foreach (JsonElement item in Items(root, wrapper, itemName))
            {
                count++;
                yield return item;
            }

            // The vendor may cap the page size below what was asked: trust what it says it used.
            long effectiveSize = (long?)Number(root, pageSizeName) is > 0 and var s ? s : pageSize;
            if (count == 0
                || (Number(root, "TotalPage") is { } totalPages && page >= totalPages)
                || (Number(root, totalName) is { } total ? page * effectiveSize >= total : count < effectiveSize))
            {
                yield break;
            }
        }
    }

    private static async IAsyncEnumerable<T> Map<T>(IAsyncEnumerable<JsonElement> items, Func<JsonElement, T> map)
    {
        await foreach (JsonElement item in items.ConfigureAwait(false))
        {
            yield return map(item);
        }
    }

    private static LiveDomain ToDomain(JsonElement item, string statusName)
    {
        string name = Text(item, "DomainName") ?? throw Malformed("domain", "DomainName");
        string status = Text(item, statusName) ?? Text(item, "DomainStatus") ?? "unknown";
        DomainKind kind = string.Equals(Text(item, "LiveDomainType"), "liveEdge", StringComparison.OrdinalIgnoreCase) ? DomainKind.Push : DomainKind.Play;
        string? cname = Text(item, "Cname");
        return new LiveDomain(HostName.Normalize(name), kind, string.Equals(status, "online", StringComparison.OrdinalIgnoreCase), status, string.IsNullOrWhiteSpace(cname) ? null : HostName.Normalize(cname));
    }

    /// <summary>Aliyun wraps lists: <c>{"Wrapper":{"Item":[…]}}</c>; a missing or empty wrapper is an empty list.</summary>
    internal static IEnumerable<JsonElement> Items(JsonElement root, string wrapper, string item)
    {
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty(wrapper, out JsonElement outer)
            && outer.ValueKind == JsonValueKind.Object
            && outer.TryGetProperty(item, out JsonElement list)
            && list.ValueKind == JsonValueKind.Array)
        {
            return list.EnumerateArray();
        }

        return [];
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A number Aliyun may send as a JSON number or as a string (<c>"TrafficValue":"1024"</c>).</summary>
    internal static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => null,
        };
    }

    internal static DateTimeOffset? Time(JsonElement element, string name) =>
        Text(element, name) is { Length: > 0 } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value)
            ? value
            : null;

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(new(name, value));
        }
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, int? value)
    {
        if (value is { } v)
        {
            parameters.Add(new(name, v.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static LiveCloudException Malformed(string action, string what) =>
        new($"{ProviderName} {action} answered without {what}.") { Provider = ProviderName };
}
