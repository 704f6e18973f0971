namespace LiveCloud;

/// <summary>
/// How a show or a month of shows is watched: the input of <see cref="IStreamProvider.EstimateCost"/>.
/// Every property is checked when set, so a bad profile fails where it is built, naming the value.
/// </summary>
public sealed record UsageProfile
{
    /// <summary>The region key for viewers in the Chinese mainland.</summary>
    public const string Mainland = "mainland";

    private readonly int _peakViewers;
    private readonly int? _averageViewers;
    private readonly double _bitrateKbps;
    private readonly double _overheadFactor = 1.0;
    private readonly double _hoursPerDay;
    private readonly int _daysPerMonth = 1;
    private readonly IReadOnlyDictionary<string, double> _viewerRegions = new Dictionary<string, double> { [Mainland] = 1.0 };
    private readonly double _recordingHoursPerDay;
    private readonly int _recordingRetentionDays;
    private readonly IReadOnlyDictionary<string, double> _transcodingMinutesPerDay = new Dictionary<string, double>();
    private readonly int _recordingChannels = 1;
    private readonly int _daysInMonth = 30;
    private readonly double _relayMinutesPerDay;
    private readonly int _thirdPartyRelays;

    /// <summary>The most viewers watching at once (drives peak-bandwidth billing).</summary>
    public required int PeakViewers
    {
        get => _peakViewers;
        init => _peakViewers = value >= 0 ? value : throw Bad(nameof(PeakViewers), value, "must not be negative");
    }

    /// <summary>The average number of viewers watching (drives traffic billing); defaults to <see cref="PeakViewers"/>.</summary>
    public int AverageViewers
    {
        get => _averageViewers ?? _peakViewers;
        init => _averageViewers = value >= 0 ? value : throw Bad(nameof(AverageViewers), value, "must not be negative");
    }

    /// <summary>The nominal bitrate each viewer receives, audio and video, in kbit/s.</summary>
    public required double BitrateKbps
    {
        get => _bitrateKbps;
        init => _bitrateKbps = value > 0 && double.IsFinite(value) ? value : throw Bad(nameof(BitrateKbps), value, "must be a positive number");
    }

    /// <summary>Protocol and container overhead over the nominal bitrate (1.0 = none; FLV/HLS add a few percent).</summary>
    public double OverheadFactor
    {
        get => _overheadFactor;
        init => _overheadFactor = value >= 1.0 && double.IsFinite(value) ? value : throw Bad(nameof(OverheadFactor), value, "must be at least 1.0");
    }

    /// <summary>Hours of streaming per show day (more than 0, at most 24).</summary>
    public required double HoursPerDay
    {
        get => _hoursPerDay;
        init => _hoursPerDay = value > 0 && value <= 24 ? value : throw Bad(nameof(HoursPerDay), value, "must be more than 0 and at most 24");
    }

    /// <summary>Show days in the billing month (1 for a single show).</summary>
    public int DaysPerMonth
    {
        get => _daysPerMonth;
        init => _daysPerMonth = value is >= 1 and <= 31 ? value : throw Bad(nameof(DaysPerMonth), value, "must be from 1 to 31");
    }

    /// <summary>
    /// The share of viewers per billing region (keys as the vendor's price table names them, e.g.
    /// <c>mainland</c>); the shares add up to 1. Defaults to everyone in the mainland.
    /// </summary>
    public IReadOnlyDictionary<string, double> ViewerRegions
    {
        get => _viewerRegions;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(ViewerRegions));
            double sum = 0;
            foreach (KeyValuePair<string, double> region in value)
            {
                if (string.IsNullOrWhiteSpace(region.Key) || !(region.Value >= 0 && region.Value <= 1))
                {
                    throw Bad(nameof(ViewerRegions), $"{region.Key}={region.Value}", "needs a region name and a share from 0 to 1");
                }

                sum += region.Value;
            }

            if (Math.Abs(sum - 1.0) > 1e-6)
            {
                throw Bad(nameof(ViewerRegions), sum, "shares must add up to 1");
            }

            _viewerRegions = value;
        }
    }

    /// <summary>Hours recorded per show day (0 for none).</summary>
    public double RecordingHoursPerDay
    {
        get => _recordingHoursPerDay;
        init => _recordingHoursPerDay = value >= 0 && value <= 24 ? value : throw Bad(nameof(RecordingHoursPerDay), value, "must be from 0 to 24");
    }

    /// <summary>
    /// Recordings made at the same time (streams recorded × output formats; each format counts as one
    /// channel at Tencent). Drives per-channel recording fees and storage volume. Defaults to 1.
    /// </summary>
    public int RecordingChannels
    {
        get => _recordingChannels;
        init => _recordingChannels = value >= 1 ? value : throw Bad(nameof(RecordingChannels), value, "must be at least 1");
    }

    /// <summary>
    /// Calendar days in the billing month (28 to 31; 30 by default). Prorates monthly fees, converts kept
    /// recordings into GB-months and sizes the 5-minute sample set of 95th-percentile billing.
    /// </summary>
    public int DaysInMonth
    {
        get => _daysInMonth;
        init => _daysInMonth = value is >= 28 and <= 31 ? value : throw Bad(nameof(DaysInMonth), value, "must be from 28 to 31");
    }

    /// <summary>Days recordings are kept (drives storage cost).</summary>
    public int RecordingRetentionDays
    {
        get => _recordingRetentionDays;
        init => _recordingRetentionDays = value >= 0 ? value : throw Bad(nameof(RecordingRetentionDays), value, "must not be negative");
    }

    /// <summary>Transcoding minutes per show day by resolution class (<c>480p</c>, <c>720p</c>, <c>1080p</c>…).</summary>
    public IReadOnlyDictionary<string, double> TranscodingMinutesPerDay
    {
        get => _transcodingMinutesPerDay;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(TranscodingMinutesPerDay));
            foreach (KeyValuePair<string, double> entry in value)
            {
                if (string.IsNullOrWhiteSpace(entry.Key) || !(entry.Value >= 0))
                {
                    throw Bad(nameof(TranscodingMinutesPerDay), $"{entry.Key}={entry.Value}", "needs a resolution class and non-negative minutes");
                }
            }

            _transcodingMinutesPerDay = value;
        }
    }

    /// <summary>
    /// Minutes of relay tasks per show day, every relay counted (a 2-hour show pushed out to two platforms is 240; a
    /// looping file pulled in all day is 1440). Drives the relay-duration fee vendors bill (0 for none).
    /// </summary>
    public double RelayMinutesPerDay
    {
        get => _relayMinutesPerDay;
        init => _relayMinutesPerDay = value >= 0 && double.IsFinite(value) ? value : throw Bad(nameof(RelayMinutesPerDay), value, "must be a number of 0 or more");
    }

    /// <summary>
    /// Push relays running at the same time to a platform outside the provider's own account (simulcast to another
    /// platform or cloud), each carrying the stream's bitrate. Drives third-party relay bandwidth where the vendor
    /// bills it (Tencent: per Mbps per month of the daily peaks' average). 0 by default.
    /// </summary>
    public int ThirdPartyRelays
    {
        get => _thirdPartyRelays;
        init => _thirdPartyRelays = value >= 0 ? value : throw Bad(nameof(ThirdPartyRelays), value, "must not be negative");
    }

    /// <summary>
    /// Checks the rules that tie two properties together (each property alone is checked when set):
    /// <see cref="AverageViewers"/> at most <see cref="PeakViewers"/>, <see cref="DaysPerMonth"/> at most
    /// <see cref="DaysInMonth"/>. The cost engine calls this before pricing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rule is broken; the message names the properties and values.</exception>
    public void Validate()
    {
        if (AverageViewers > PeakViewers)
        {
            throw Bad(nameof(AverageViewers), AverageViewers, $"must not exceed {nameof(PeakViewers)} ({PeakViewers})");
        }

        if (DaysPerMonth > DaysInMonth)
        {
            throw Bad(nameof(DaysPerMonth), DaysPerMonth, $"must not exceed {nameof(DaysInMonth)} ({DaysInMonth})");
        }
    }

    private static ArgumentOutOfRangeException Bad(string name, object value, string rule) =>
        new ArgumentOutOfRangeException(name, value, $"{name} {rule}; got {value}.");
}

/// <summary>One line of a cost estimate.</summary>
/// <param name="Description">What is billed, e.g. "Downstream traffic, mainland, tier 0–2 TB".</param>
/// <param name="Quantity">How much, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit: <c>GB</c>, <c>Mbps·day</c>, <c>minute</c>…</param>
/// <param name="UnitPrice">The price of one unit.</param>
/// <param name="Total">The line's total: the exact quantity × unit price, rounded to 2 decimals (midpoint away from zero).</param>
public sealed record CostLineItem(string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal Total);

/// <summary>What a <see cref="UsageProfile"/> would cost on one provider, under its cheapest billing mode.</summary>
/// <param name="Provider">The provider priced.</param>
/// <param name="Currency">ISO 4217 currency, e.g. <c>CNY</c>.</param>
/// <param name="BillingMode">The billing mode chosen (the cheapest), one of the LiveCloud package's <c>LiveCloud.Costs.BillingModes</c>.</param>
/// <param name="Total">The total under <paramref name="BillingMode"/>: exactly the sum of <paramref name="LineItems"/>' totals.</param>
/// <param name="LineItems">The lines adding up to <paramref name="Total"/>.</param>
/// <param name="PriceTableAsOf">The date of the price table used.</param>
/// <param name="PriceTableSource">Where the prices come from (page title or URL).</param>
public sealed record CostEstimate(
    string Provider,
    string Currency,
    string BillingMode,
    decimal Total,
    IReadOnlyList<CostLineItem> LineItems,
    DateOnly PriceTableAsOf,
    string PriceTableSource)
{
    /// <summary>The totals under every billing mode the vendor offers, the chosen one included.</summary>
    public IReadOnlyDictionary<string, decimal> TotalsByBillingMode { get; init; } = new Dictionary<string, decimal>();

    /// <summary>
    /// What the reader should know: assumptions made, billing modes that could not be priced (and which
    /// option would price them), prices overridden by options.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
