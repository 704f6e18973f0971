using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LiveCloud.Http;

namespace LiveCloud.Nginx;

/// <summary>
/// The nginx-rtmp HTTP calls LiveCloud uses, sent through the shared <see cref="VendorHttpPipeline"/> to
/// <see cref="NginxOptions.HttpEndpoint"/>: <c>/stat</c> (<c>rtmp_stat</c>, XML) and <c>/control</c>
/// (<c>rtmp_control</c>: recording, dropping). <c>/stat</c>, dropping a publisher and stopping a recording are retried
/// on transient failures (dropping an absent publisher answers <c>0</c>, stopping a stopped recording answers empty);
/// starting a recording never is.
/// </summary>
/// <remarks>
/// nginx has no error envelope: errors are HTTP statuses, classified by <see cref="NginxErrors"/>. The control
/// module's own messages are described at https://github.com/arut/nginx-rtmp-module/wiki/Control-module.
/// </remarks>
public class NginxApiClient : VendorApiClient
{
    private readonly string _provider;
    private readonly string _app = null!;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated options (the application served).</param>
    /// <param name="pipeline">The provider's vendor pipeline, to <see cref="NginxOptions.HttpEndpoint"/>.</param>
    /// <param name="timeProvider">The clock stream states are dated by.</param>
    public NginxApiClient(NginxOptions options, VendorHttpPipeline pipeline, TimeProvider? timeProvider = null)
        : base(pipeline, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _provider = pipeline.Provider;
        _app = options.AppName;
    }

    /// <summary>For test doubles that override the operations they need; their <see cref="ProviderName"/> is <c>Nginx</c>.</summary>
    protected NginxApiClient()
        : this((TimeProvider?)null)
    {
    }

    /// <summary>For test doubles that override the operations they need; their <see cref="ProviderName"/> is <c>Nginx</c>.</summary>
    /// <param name="timeProvider">The double's clock, which a provider built over it reads.</param>
    protected NginxApiClient(TimeProvider? timeProvider)
        : base(timeProvider)
    {
        _provider = NginxOptions.ProviderName;
    }

    /// <inheritdoc />
    public override string ProviderName => _provider;

    /// <summary><c>GET /stat</c>: the streams being pushed to the configured application, with bitrate and viewers.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>Streams whose name LiveCloud cannot represent as a <see cref="StreamId"/> are skipped.</remarks>
    public virtual Task<IReadOnlyList<StreamState>> GetStatAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(VendorOperation.Read("Stat"), () => Get("stat"), response => ParseStat(response.Text, _app, TimeProvider.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// <c>GET /control/record/start</c>: starts the manual recorder on the stream. Never retried (a repeat could
    /// start a second file).
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The path of the file nginx records to; empty when it started none (no publisher, or already recording).</returns>
    public virtual Task<string> StartRecordAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        ControlAsync(VendorOperation.Write("RecordStart"), "record/start", stream, cancellationToken);

    /// <summary><c>GET /control/record/stop</c>: stops the manual recorder. Idempotent (a stopped recording answers empty), so retried.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The path of the file closed; empty when none was open.</returns>
    public virtual Task<string> StopRecordAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        ControlAsync(VendorOperation.IdempotentWrite("RecordStop"), "record/stop", stream, cancellationToken);

    /// <summary><c>GET /control/drop/publisher</c>: disconnects the broadcaster. Idempotent (no publisher answers <c>0</c>), so retried.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many publishers nginx dropped (0 or 1).</returns>
    public virtual async Task<int> DropPublisherAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        string dropped = await ControlAsync(VendorOperation.IdempotentWrite("DropPublisher"), "drop/publisher", stream, cancellationToken).ConfigureAwait(false);
        return dropped.Length == 0 ? 0 : int.Parse(dropped, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>Shows the provider only.</summary>
    public override string ToString() => $"NginxApiClient {{ Provider = {ProviderName} }}";

    /// <summary>nginx answers errors by HTTP status only: any non-2xx is an error, its status the code.</summary>
    /// <inheritdoc />
    protected override VendorError? ReadError(VendorOperation operation, VendorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        // rtmp_control explains a 400 in a line of plain text ("Live stream not found"); nginx's own error pages are HTML.
        string? message = response.MediaType is null or "text/plain" && response.Body.Length is > 0 and <= 200 && !response.Text.Any(char.IsControl)
            ? response.Text
            : null;
        return new VendorError(ProviderName, operation.Name, NginxErrors.Classify(response.Status), ((int)response.Status).ToString(CultureInfo.InvariantCulture), message, null, response.Status)
        {
            RetryAfter = response.RetryAfter,
        };
    }

    /// <summary>The streams of <paramref name="app"/> in nginx-rtmp's <c>/stat</c> XML that have a publisher.</summary>
    /// <exception cref="FormatException">The XML does not parse.</exception>
    internal static IReadOnlyList<StreamState> ParseStat(string xml, string app, DateTimeOffset now)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"nginx answered /stat with XML that does not parse: {ex.Message}", ex);
        }

        var states = new List<StreamState>();
        foreach (XElement application in doc.Descendants("application"))
        {
            if (!string.Equals((string?)application.Element("name"), app, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (XElement stream in application.Elements("live").Elements("stream"))
            {
                string? name = (string?)stream.Element("name");
                if (!StreamId.IsValidPart(name) || stream.Element("publishing") is null)
                {
                    continue;
                }

                long bwIn = long.TryParse((string?)stream.Element("bw_in"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long b) ? b : 0;
                int clients = int.TryParse((string?)stream.Element("nclients"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
                long ms = long.TryParse((string?)stream.Element("time"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long t) ? t : 0;
                // nclients counts the publisher too; bw_in is in bit/s.
                states.Add(new StreamState(new StreamId(app, name!), StreamStatus.Active, now - TimeSpan.FromMilliseconds(ms), bwIn / 1000, Math.Max(0, clients - 1)));
            }
        }

        return states;
    }

    private Task<string> ControlAsync(VendorOperation operation, string action, StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        cancellationToken.ThrowIfCancellationRequested();
        // rtmp_control reads its arguments unescaped; StreamId parts need no escaping.
        string query = action.StartsWith("record/", StringComparison.Ordinal)
            ? $"control/{action}?app={stream.App}&name={stream.Name}&rec={NginxConfig.Recorder}"
            : $"control/{action}?app={stream.App}&name={stream.Name}";
        return SendAsync(operation, () => Get(query), static response => response.Text.Trim(), cancellationToken);
    }

    private static HttpRequestMessage Get(string relative) => new(HttpMethod.Get, new Uri(relative, UriKind.Relative));
}
