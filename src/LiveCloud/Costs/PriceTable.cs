using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveCloud.Costs;

/// <summary>
/// A vendor's list prices as data: dated, cited, loaded from JSON (each vendor package embeds its own) and
/// overridable per price by <see cref="PriceOverrides"/>. A price of <see langword="null"/> — or a section left
/// out — means "not confirmed": the engine refuses to use it without an override, it never guesses.
/// </summary>
/// <remarks>
/// The delivery billing modes the vendor offers are the sections present: <see cref="Traffic"/>,
/// <see cref="DailyPeakBandwidth"/>, <see cref="MonthlyP95Bandwidth"/>. JSON property names are camelCase
/// (case-insensitive on read), enums are strings, unknown properties are refused so a typo cannot silently
/// drop a price.
/// </remarks>
public sealed record PriceTable
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions WriteOptions = new(JsonOptions) { WriteIndented = true };

    /// <summary>The provider these prices are for, as configured (<c>Tencent</c>); names the option keys in errors.</summary>
    public required string Provider { get; init; }

    /// <summary>ISO 4217 currency of every price, e.g. <c>CNY</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>The date the prices were read from the source (or took effect).</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>Where the prices come from: page title and/or URL.</summary>
    public required string Source { get; init; }

    /// <summary>Free text for readers of the table: caveats, what is not modelled.</summary>
    public string? Notes { get; init; }

    /// <summary>
    /// How the vendor counts a GB of traffic: 1000 (1 GB = 10^9 bytes) or 1024 (1 GB = 1024 MB = 2^30 bytes).
    /// </summary>
    public int MegabytesPerGigabyte { get; init; } = 1000;

    /// <summary>Downstream traffic prices per GB; <see langword="null"/> when the vendor does not bill by traffic.</summary>
    public TieredPrices? Traffic { get; init; }

    /// <summary>Daily peak bandwidth prices per Mbps per day; rule <c>Daily…</c>. <see langword="null"/> when not offered.</summary>
    public TieredPrices? DailyPeakBandwidth { get; init; }

    /// <summary>Monthly 95th-percentile bandwidth prices per Mbps per month; rule <c>Monthly…</c>. <see langword="null"/> when not offered.</summary>
    public TieredPrices? MonthlyP95Bandwidth { get; init; }

    /// <summary>Transcoding price per output minute by resolution class (<c>480p</c>, <c>720p</c>, <c>1080p</c>…; case-insensitive).</summary>
    public IReadOnlyDictionary<string, decimal?> Transcoding { get; init; } = new Dictionary<string, decimal?>();

    /// <summary>Recording price per concurrent channel per month, prorated by show days; <see langword="null"/> = not confirmed.</summary>
    public decimal? RecordingPerChannelMonth { get; init; }

    /// <summary>Storage price of recordings per GB-month; <see langword="null"/> = not confirmed.</summary>
    public decimal? StoragePerGBMonth { get; init; }

    /// <summary>Relay (pull-and-push task) price per minute of task duration; <see langword="null"/> = not confirmed.</summary>
    public decimal? RelayPerMinute { get; init; }

    /// <summary>
    /// Price per Mbps per month of relays pushed to a platform outside the account, billed on the month's average of
    /// daily peaks (prorated by show days); <see langword="null"/> = not confirmed.
    /// </summary>
    public decimal? ThirdPartyRelayPerMbpsMonth { get; init; }

    /// <summary>The configuration path of this provider's price overrides, e.g. <c>LiveCloud:Tencent:Prices</c>.</summary>
    [JsonIgnore]
    public string OptionsPath => $"{LiveCloudOptions.SectionName}:{Provider}:{PriceOverrides.SectionName}";

    /// <summary>Reads and validates a table from UTF-8 JSON.</summary>
    /// <param name="json">The JSON stream; left open.</param>
    /// <exception cref="LiveCloudConfigurationException">The JSON is malformed or the table breaks a rule of <see cref="Validate"/>.</exception>
    public static PriceTable Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        PriceTable? table;
        try
        {
            table = JsonSerializer.Deserialize<PriceTable>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new LiveCloudConfigurationException($"The price table is not valid JSON for {nameof(PriceTable)}: {e.Message}", e);
        }

        return (table ?? throw new LiveCloudConfigurationException("The price table is JSON null.")).Validate();
    }

    /// <summary>Reads and validates a table from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="LiveCloudConfigurationException">The JSON is malformed or the table breaks a rule of <see cref="Validate"/>.</exception>
    public static PriceTable FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return Load(stream);
    }

    /// <summary>Reads a table embedded in <paramref name="assembly"/> (how a vendor package ships its prices).</summary>
    /// <param name="assembly">The assembly holding the resource.</param>
    /// <param name="resourceName">The manifest resource name, or its ending (e.g. <c>tencent-prices.json</c>).</param>
    /// <exception cref="LiveCloudConfigurationException">No such resource (the message lists those there are), or the table is invalid.</exception>
    public static PriceTable LoadEmbedded(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        string[] names = assembly.GetManifestResourceNames();
        string? name = Array.Find(names, n => n == resourceName)
            ?? Array.Find(names, n => n.EndsWith("." + resourceName, StringComparison.Ordinal));
        using Stream stream = (name is null ? null : assembly.GetManifestResourceStream(name))
            ?? throw new LiveCloudConfigurationException(
                $"{assembly.GetName().Name} has no embedded price table '{resourceName}'; it has: {(names.Length == 0 ? "none" : string.Join(", ", names))}.");
        return Load(stream);
    }

    /// <summary>Writes the table as indented JSON in the form <see cref="Load"/> reads.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions);

    /// <summary>
    /// Checks the table: provider, currency (3 capital letters) and source present; 1000 or 1024 MB per GB;
    /// every tier list non-empty, starting at 0, strictly ascending; no negative price; bandwidth rules
    /// matching their period (daily peak: <c>Daily…</c>, 95th percentile: <c>Monthly…</c>).
    /// </summary>
    /// <returns>This table, for chaining.</returns>
    /// <exception cref="LiveCloudConfigurationException">A rule is broken; the message names the field.</exception>
    public PriceTable Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Provider), "provider is required");
        Require(Currency is { Length: 3 } && Currency.All(char.IsAsciiLetterUpper), $"currency must be an ISO 4217 code such as CNY; got '{Currency}'");
        Require(!string.IsNullOrWhiteSpace(Source), "source is required (page title or URL)");
        Require(MegabytesPerGigabyte is 1000 or 1024, $"megabytesPerGigabyte must be 1000 or 1024; got {MegabytesPerGigabyte}");
        ValidateTiers(Traffic, "traffic", null);
        ValidateTiers(DailyPeakBandwidth, "dailyPeakBandwidth", daily: true);
        ValidateTiers(MonthlyP95Bandwidth, "monthlyP95Bandwidth", daily: false);
        foreach (KeyValuePair<string, decimal?> entry in Transcoding)
        {
            Require(!string.IsNullOrWhiteSpace(entry.Key) && entry.Value is null or >= 0, $"transcoding['{entry.Key}'] must name a class and have a price of 0 or more");
        }

        Require(RecordingPerChannelMonth is null or >= 0, "recordingPerChannelMonth must not be negative");
        Require(StoragePerGBMonth is null or >= 0, "storagePerGBMonth must not be negative");
        Require(RelayPerMinute is null or >= 0, "relayPerMinute must not be negative");
        Require(ThirdPartyRelayPerMbpsMonth is null or >= 0, "thirdPartyRelayPerMbpsMonth must not be negative");
        return this;
    }

    /// <summary>This table with <paramref name="overrides"/> laid over it (only what they set changes).</summary>
    /// <param name="overrides">The user's prices; <see langword="null"/> or empty returns this table.</param>
    /// <exception cref="LiveCloudConfigurationException">
    /// An override is malformed (see <see cref="PriceOverrides.Validate"/>); the message names each key under <see cref="OptionsPath"/>.
    /// </exception>
    public PriceTable WithOverrides(PriceOverrides? overrides)
    {
        if (overrides is null || overrides.IsEmpty)
        {
            return this;
        }

        var failures = new List<string>();
        overrides.Validate(OptionsPath, failures);
        if (failures.Count > 0)
        {
            throw new LiveCloudConfigurationException(string.Join(" ", failures)) { Provider = Provider };
        }

        var transcoding = new Dictionary<string, decimal?>(Transcoding, StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, decimal> entry in overrides.Transcoding)
        {
            transcoding[entry.Key] = entry.Value;
        }

        return (this with
        {
            Traffic = Merge(Traffic, overrides.Traffic, overrides.TrafficRule ?? Traffic?.Rule ?? TierRule.DailyReached),
            DailyPeakBandwidth = Merge(DailyPeakBandwidth, overrides.DailyPeakBandwidth, DailyPeakBandwidth?.Rule ?? TierRule.DailyReached),
            MonthlyP95Bandwidth = Merge(MonthlyP95Bandwidth, overrides.MonthlyP95Bandwidth, MonthlyP95Bandwidth?.Rule ?? TierRule.MonthlyReached),
            Transcoding = transcoding,
            RecordingPerChannelMonth = overrides.RecordingPerChannelMonth ?? RecordingPerChannelMonth,
            StoragePerGBMonth = overrides.StoragePerGBMonth ?? StoragePerGBMonth,
            RelayPerMinute = overrides.RelayPerMinute ?? RelayPerMinute,
            ThirdPartyRelayPerMbpsMonth = overrides.ThirdPartyRelayPerMbpsMonth ?? ThirdPartyRelayPerMbpsMonth,
        }).Validate();
    }

    private static TieredPrices? Merge(TieredPrices? table, IDictionary<string, IList<PriceTierOverride>> overrides, TierRule rule)
    {
        if (overrides.Count == 0)
        {
            return table is null || table.Rule == rule ? table : table with { Rule = rule };
        }

        var regions = new Dictionary<string, IReadOnlyList<PriceTier>>(StringComparer.OrdinalIgnoreCase);
        if (table is not null)
        {
            foreach (KeyValuePair<string, IReadOnlyList<PriceTier>> entry in table.Regions)
            {
                regions[entry.Key] = entry.Value;
            }
        }

        foreach (KeyValuePair<string, IList<PriceTierOverride>> entry in overrides)
        {
            regions[entry.Key] = [.. entry.Value.Select(t => new PriceTier(t.From, t.Price))];
        }

        return new TieredPrices { Rule = rule, Regions = regions };
    }

    private void ValidateTiers(TieredPrices? prices, string field, bool? daily)
    {
        if (prices is null)
        {
            return;
        }

        if (daily is { } isDaily)
        {
            bool ruleIsDaily = prices.Rule is TierRule.DailyReached or TierRule.DailyCumulative;
            Require(ruleIsDaily == isDaily, $"{field}.rule must be {(isDaily ? "DailyReached or DailyCumulative" : "MonthlyReached or MonthlyCumulative")}; got {prices.Rule}");
        }

        Require(prices.Regions is { Count: > 0 }, $"{field}.regions must price at least one region");
        foreach (KeyValuePair<string, IReadOnlyList<PriceTier>> region in prices.Regions)
        {
            string where = $"{field}.regions['{region.Key}']";
            Require(!string.IsNullOrWhiteSpace(region.Key), $"{field}.regions has an empty region name");
            Require(region.Value is { Count: > 0 } && region.Value[0].From == 0, $"{where} must start with a tier from 0");
            for (int i = 0; i < region.Value.Count; i++)
            {
                PriceTier tier = region.Value[i];
                Require(tier.Price is null or >= 0, $"{where}[{i}].price must not be negative; got {tier.Price}");
                Require(i == 0 || tier.From > region.Value[i - 1].From, $"{where}[{i}].from must be above the previous tier's ({region.Value[Math.Max(i - 1, 0)].From}); got {tier.From}");
            }
        }
    }

    private void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new LiveCloudConfigurationException($"Price table '{Provider}' ({Source}): {message}.");
        }
    }
}
