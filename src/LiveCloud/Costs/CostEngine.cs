using System.Globalization;

namespace LiveCloud.Costs;

/// <summary>
/// Prices a <see cref="UsageProfile"/> against a <see cref="PriceTable"/> (or a <see cref="SelfHostedPriceModel"/>).
/// Pure: no I/O, no clock. Every delivery billing mode the table offers is priced; the cheapest is chosen.
/// </summary>
/// <remarks>
/// <para>Units and formulas (all arithmetic in <see cref="decimal"/>):</para>
/// <list type="bullet">
/// <item>Traffic per show day and region, in GB = average viewers × region share × bitrate (kbit/s, 1 kbit = 1000 bit)
/// × overhead factor × hours × 3600 s ÷ 8 (bit → byte) × 1000 (kbit → bit) ÷ bytes per GB, where bytes per GB is
/// 10^9 when the table counts 1000 MB per GB and 2^30 when it counts 1024. Example: 100 × 556 kbit/s × 14400 s ÷ 8 =
/// 100,080,000 kB = 100.08 GB (decimal).</item>
/// <item>Peak bandwidth per region, in Mbps = peak viewers × region share × bitrate (kbit/s) × overhead ÷ 1000.</item>
/// <item>Daily peak bandwidth is billed on each show day; 95th-percentile bandwidth is the month's sample set of
/// <see cref="UsageProfile.DaysInMonth"/> × 288 five-minute samples with the top 5 % dropped: when the show's samples
/// outnumber the dropped ones the billed value is the peak (an upper bound: the profile does not say how long the
/// peak lasts), otherwise 0.</item>
/// <item>Transcoding = minutes per day × show days × price per minute, per resolution class.</item>
/// <item>Recording = channels × show days ÷ days in month × price per channel-month (Tencent's proration).</item>
/// <item>Storage = GB recorded per show day × show days × retention days ÷ days in month GB-months × price.</item>
/// <item>Relays = relay minutes per show day × show days × price per minute; third-party relays = concurrent relays ×
/// bitrate × overhead (Mbps) × show days ÷ days in month Mbps·months (the month's average of daily peaks) × price.</item>
/// <item>Money: each line's total is its exact quantity × unit price rounded to 2 decimals (midpoint away from zero);
/// every total is the sum of rounded lines, so the lines always add up.</item>
/// </list>
/// <para>Limits: a profile is priced only when its amounts fit in <see cref="decimal"/>: a bitrate of at most
/// 10,000,000 kbit/s (10 Gbit/s per viewer), an overhead factor of at most 10 and at most 1,000,000,000 transcoding
/// minutes per day of a class; anything above is refused naming the value, and an estimate whose amounts still
/// overflow (huge prices) is refused naming the profile, never an <see cref="OverflowException"/>.</para>
/// </remarks>
public static class CostEngine
{
    /// <summary>The share of a month's five-minute samples 95th-percentile billing drops (the top 5 %).</summary>
    public const decimal P95DroppedShare = 0.05m;

    /// <summary>Five-minute bandwidth samples per day.</summary>
    public const int SamplesPerDay = 288;

    // The unit of a self-hosted estimate's server line: rent, a fixed cost, not delivery (multi-cloud routing leaves it out).
    internal const string ServerUnit = "server·month";

    private const double MaxBitrateKbps = 10_000_000;
    private const double MaxOverheadFactor = 10;
    private const double MaxTranscodingMinutesPerDay = 1_000_000_000;

    /// <summary>Prices <paramref name="profile"/> against <paramref name="table"/> with <paramref name="overrides"/> laid over it.</summary>
    /// <param name="table">The vendor's price table.</param>
    /// <param name="profile">The usage.</param>
    /// <param name="overrides">The user's prices, or <see langword="null"/>.</param>
    /// <returns>The estimate under the cheapest billing mode, with the totals of every mode that could be priced.</returns>
    /// <exception cref="ArgumentException">The profile is inconsistent, or it names a viewer region or resolution class the table does not price.</exception>
    /// <exception cref="PriceNotConfirmedException">A price the estimate needs is not confirmed and no override supplies it.</exception>
    /// <exception cref="LiveCloudConfigurationException">The table (with overrides) is invalid or offers no billing mode.</exception>
    public static CostEstimate Estimate(PriceTable table, UsageProfile profile, PriceOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(profile);
        ValidateProfile(profile);
        PriceTable t = table.Validate().WithOverrides(overrides);
        try
        {
            return Estimate(t, profile, overrides is { IsEmpty: false });
        }
        catch (OverflowException e)
        {
            throw Overflow(t.Provider, profile, e);
        }
    }

    private static CostEstimate Estimate(PriceTable t, UsageProfile profile, bool overridden)
    {
        var notes = new List<string>();
        if (overridden)
        {
            notes.Add($"Prices set under {t.OptionsPath} replace the list prices of {t.AsOf:yyyy-MM-dd}.");
        }

        var modes = new List<(string Mode, TieredPrices Prices, Func<TieredPrices, List<Line>> Price)>();
        if (t.Traffic is { } traffic)
        {
            modes.Add((BillingModes.Traffic, traffic, p => TrafficLines(t, p, profile)));
        }

        if (t.DailyPeakBandwidth is { } daily)
        {
            modes.Add((BillingModes.DailyPeakBandwidth, daily, p => DailyPeakLines(t, p, profile)));
        }

        if (t.MonthlyP95Bandwidth is { } p95)
        {
            modes.Add((BillingModes.MonthlyP95Bandwidth, p95, p => P95Lines(t, p, profile, notes)));
        }

        if (modes.Count == 0)
        {
            throw new LiveCloudConfigurationException($"Price table '{t.Provider}' offers no billing mode (traffic, dailyPeakBandwidth or monthlyP95Bandwidth); set prices under {t.OptionsPath}.");
        }

        CheckRegions(t, profile, modes.Select(m => m.Prices));
        List<Line> common = [.. TranscodingLines(t, profile), .. RecordingLines(t, profile), .. StorageLines(t, profile), .. RelayLines(t, profile)];
        List<CostLineItem> commonItems = [.. common.Select(ToItem)];

        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var itemsByMode = new Dictionary<string, List<CostLineItem>>(StringComparer.Ordinal);
        var unconfirmed = new List<PriceNotConfirmedException>();
        foreach ((string mode, TieredPrices prices, Func<TieredPrices, List<Line>> price) in modes)
        {
            List<Line> lines;
            try
            {
                lines = price(prices);
            }
            catch (PriceNotConfirmedException e)
            {
                unconfirmed.Add(e);
                notes.Add($"Billing mode {mode} not priced: {e.Message}");
                continue;
            }
            catch (UnpricedRegionException e)
            {
                notes.Add($"Billing mode {mode} not priced: {e.Message}");
                continue;
            }

            List<CostLineItem> items = [.. lines.Select(ToItem), .. commonItems];
            itemsByMode[mode] = items;
            totals[mode] = items.Sum(i => i.Total);
        }

        if (totals.Count == 0)
        {
            if (unconfirmed.Count > 0)
            {
                throw new PriceNotConfirmedException(
                    unconfirmed[0].OptionKey,
                    $"No billing mode of {t.Provider} can be priced: " + string.Join(" ", unconfirmed.Select(e => e.Message)));
            }

            throw new LiveCloudConfigurationException($"No billing mode of {t.Provider} prices every viewer region of the profile: " + string.Join(" ", notes));
        }

        // Cheapest first; on a tie, the order the table lists its modes (traffic first).
        string chosen = totals.OrderBy(kv => kv.Value).ThenBy(kv => modes.FindIndex(m => m.Mode == kv.Key)).First().Key;
        return new CostEstimate(t.Provider, t.Currency, chosen, totals[chosen], itemsByMode[chosen], t.AsOf, t.Source)
        {
            TotalsByBillingMode = totals,
            Notes = notes,
        };
    }

    /// <summary>Prices <paramref name="profile"/> on self-hosted servers.</summary>
    /// <param name="model">The servers' and egress prices.</param>
    /// <param name="profile">The usage (viewer regions do not matter here).</param>
    /// <returns>
    /// The estimate under the cheapest of <see cref="BillingModes.SelfHostedTraffic"/> and
    /// <see cref="BillingModes.SelfHostedBandwidth"/> (whichever the model prices), or <see cref="BillingModes.SelfHosted"/>
    /// when egress is included in the server price.
    /// </returns>
    /// <exception cref="ArgumentException">The profile is inconsistent, or one viewer's bitrate exceeds a server's usable uplink.</exception>
    /// <exception cref="LiveCloudConfigurationException">The model is invalid.</exception>
    public static CostEstimate Estimate(SelfHostedPriceModel model, UsageProfile profile)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(profile);
        model.Validate();
        ValidateProfile(profile);
        try
        {
            return EstimateSelfHosted(model, profile);
        }
        catch (OverflowException e)
        {
            throw Overflow(model.Provider, profile, e);
        }
    }

    /// <summary>
    /// Checks that <paramref name="profile"/> is consistent (<see cref="UsageProfile.Validate"/>) and within what the
    /// engine prices (see the limits in the remarks of <see cref="CostEngine"/>). Every estimate runs it first;
    /// <see cref="CostComparison"/> runs it once before asking any provider.
    /// </summary>
    /// <param name="profile">The usage.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value cannot be priced; the message names the property and the value.</exception>
    public static void ValidateProfile(UsageProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validate();
        AtMost(profile.BitrateKbps, MaxBitrateKbps, nameof(UsageProfile.BitrateKbps), "kbit/s (10 Gbit/s per viewer)");
        AtMost(profile.OverheadFactor, MaxOverheadFactor, nameof(UsageProfile.OverheadFactor), "(10 × the nominal bitrate)");
        foreach (KeyValuePair<string, double> entry in profile.TranscodingMinutesPerDay)
        {
            AtMost(entry.Value, MaxTranscodingMinutesPerDay, $"{nameof(UsageProfile.TranscodingMinutesPerDay)}['{entry.Key}']", "minutes per day");
        }
    }

    private static CostEstimate EstimateSelfHosted(SelfHostedPriceModel model, UsageProfile profile)
    {

        decimal viewerMbps = (decimal)profile.BitrateKbps * (decimal)profile.OverheadFactor / 1000m;
        decimal usableMbps = (decimal)model.ServerUplinkMbps * (decimal)model.UsableUplinkShare;
        decimal viewersPerServer = Math.Floor(usableMbps / viewerMbps);
        if (viewersPerServer < 1)
        {
            throw ProfileError(
                nameof(UsageProfile.BitrateKbps),
                $"BitrateKbps {profile.BitrateKbps.ToString(CultureInfo.InvariantCulture)} × overhead needs {Num(viewerMbps)} Mbps per viewer, more than one server's usable uplink ({Num(usableMbps)} Mbps).");
        }

        decimal servers = Math.Max(1, Math.Ceiling(profile.PeakViewers / viewersPerServer));
        var serverLine = ToItem(new Line(
            $"Servers: {Num(servers)} × {Num(usableMbps)} Mbps usable uplink ({Num(viewersPerServer)} viewers each at {Num(viewerMbps)} Mbps) for {profile.PeakViewers} peak viewers",
            servers,
            ServerUnit,
            model.ServerMonthlyCost));

        var notes = new List<string> { "Transcoding and recording run on the servers themselves: their cost is the server rent." };
        var itemsByMode = new Dictionary<string, List<CostLineItem>>(StringComparer.Ordinal);
        if (model.EgressPerGB is { } perGB)
        {
            decimal gb = profile.AverageViewers * Kilobits(profile) * 125m / BytesPerGB(model.MegabytesPerGigabyte) * profile.DaysPerMonth;
            itemsByMode[BillingModes.SelfHostedTraffic] = [serverLine, ToItem(new Line($"Egress traffic, {profile.DaysPerMonth} show day(s)", gb, "GB", perGB))];
        }

        if (model.EgressPerMbpsMonth is { } perMbps)
        {
            decimal mbps = profile.PeakViewers * viewerMbps;
            itemsByMode[BillingModes.SelfHostedBandwidth] = [serverLine, ToItem(new Line("Egress bandwidth, monthly peak", mbps, "Mbps·month", perMbps))];
        }

        if (itemsByMode.Count == 0)
        {
            itemsByMode[BillingModes.SelfHosted] = [serverLine];
            notes.Add("Egress is included in the server price.");
        }

        var totals = itemsByMode.ToDictionary(kv => kv.Key, kv => kv.Value.Sum(i => i.Total), StringComparer.Ordinal);
        string chosen = totals.OrderBy(kv => kv.Value).First().Key;
        return new CostEstimate(model.Provider, model.Currency, chosen, totals[chosen], itemsByMode[chosen], model.AsOf, model.Source)
        {
            TotalsByBillingMode = totals,
            Notes = notes,
        };
    }

    /// <summary>Downstream traffic of one show day for viewers in a share of the audience, in GB as the table counts them.</summary>
    /// <param name="profile">The usage.</param>
    /// <param name="share">The share of viewers (1 for everyone).</param>
    /// <param name="megabytesPerGigabyte">1000 (GB = 10^9 bytes) or 1024 (GB = 2^30 bytes).</param>
    /// <exception cref="ArgumentOutOfRangeException">The profile cannot be priced (see <see cref="ValidateProfile"/>), or <paramref name="share"/> is not from 0 to 1.</exception>
    public static decimal TrafficGigabytesPerDay(UsageProfile profile, double share, int megabytesPerGigabyte)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ValidateProfile(profile);
        CheckShare(share);
        return profile.AverageViewers * (decimal)share * Kilobits(profile) * 125m / BytesPerGB(megabytesPerGigabyte);
    }

    /// <summary>Peak bandwidth for viewers in a share of the audience, in Mbps (1 Mbps = 1000 kbit/s).</summary>
    /// <param name="profile">The usage.</param>
    /// <param name="share">The share of viewers (1 for everyone).</param>
    /// <exception cref="ArgumentOutOfRangeException">The profile cannot be priced (see <see cref="ValidateProfile"/>), or <paramref name="share"/> is not from 0 to 1.</exception>
    public static decimal PeakMbps(UsageProfile profile, double share)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ValidateProfile(profile);
        CheckShare(share);
        return profile.PeakViewers * (decimal)share * (decimal)profile.BitrateKbps * (decimal)profile.OverheadFactor / 1000m;
    }

    // kbit one viewer receives per show day: kbit/s × overhead × seconds.
    private static decimal Kilobits(UsageProfile profile) =>
        (decimal)profile.BitrateKbps * (decimal)profile.OverheadFactor * (decimal)profile.HoursPerDay * 3600m;

    private static decimal BytesPerGB(int megabytesPerGigabyte) => megabytesPerGigabyte switch
    {
        1000 => 1_000_000_000m,
        1024 => 1_073_741_824m,
        _ => throw new ArgumentOutOfRangeException(nameof(megabytesPerGigabyte), megabytesPerGigabyte, "MB per GB must be 1000 or 1024."),
    };

    private static IEnumerable<KeyValuePair<string, double>> Regions(UsageProfile profile) =>
        profile.ViewerRegions.Where(r => r.Value > 0);

    private static void CheckRegions(PriceTable table, UsageProfile profile, IEnumerable<TieredPrices> offered)
    {
        List<TieredPrices> sections = [.. offered];
        foreach (KeyValuePair<string, double> region in Regions(profile))
        {
            if (!sections.Any(s => s.FindRegion(region.Key) is not null))
            {
                IEnumerable<string> known = sections.SelectMany(s => s.Regions.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
                throw ProfileError(
                    nameof(UsageProfile.ViewerRegions),
                    $"ViewerRegions has region '{region.Key}' (share {region.Value.ToString(CultureInfo.InvariantCulture)}) that the {table.Provider} price table does not price; its regions: {string.Join(", ", known)}.");
            }
        }
    }

    private static IReadOnlyList<PriceTier> Tiers(TieredPrices prices, string region, string section) =>
        prices.FindRegion(region) ?? throw new UnpricedRegionException($"{section} has no prices for region '{region}'.");

    private static List<Line> TrafficLines(PriceTable table, TieredPrices prices, UsageProfile profile)
    {
        var lines = new List<Line>();
        foreach (KeyValuePair<string, double> region in Regions(profile))
        {
            decimal perDay = TrafficGigabytesPerDay(profile, region.Value, table.MegabytesPerGigabyte);
            lines.AddRange(ApplyTiers(
                prices.Rule,
                Tiers(prices, region.Key, "traffic"),
                perDay,
                profile.DaysPerMonth,
                $"Downstream traffic, {region.Key}",
                "GB",
                "GB",
                $"{table.OptionsPath}:Traffic:{region.Key}"));
        }

        return lines;
    }

    private static List<Line> DailyPeakLines(PriceTable table, TieredPrices prices, UsageProfile profile)
    {
        var lines = new List<Line>();
        foreach (KeyValuePair<string, double> region in Regions(profile))
        {
            lines.AddRange(ApplyTiers(
                prices.Rule,
                Tiers(prices, region.Key, "dailyPeakBandwidth"),
                PeakMbps(profile, region.Value),
                profile.DaysPerMonth,
                $"Daily peak bandwidth, {region.Key}",
                "Mbps·day",
                "Mbps",
                $"{table.OptionsPath}:DailyPeakBandwidth:{region.Key}"));
        }

        return lines;
    }

    private static List<Line> P95Lines(PriceTable table, TieredPrices prices, UsageProfile profile, List<string> notes)
    {
        int monthSamples = profile.DaysInMonth * SamplesPerDay;
        decimal dropped = Math.Floor(monthSamples * P95DroppedShare);
        decimal showSamples = Math.Ceiling(profile.DaysPerMonth * (decimal)profile.HoursPerDay * 12m);
        bool billed = showSamples > dropped;
        if (!billed)
        {
            notes.Add(
                $"Under {BillingModes.MonthlyP95Bandwidth} the top {Num(dropped)} of {monthSamples} five-minute samples are dropped; " +
                $"the show fills only {Num(showSamples)}, so its billed bandwidth is 0 (vendors usually set a minimum for this mode).");
        }

        var lines = new List<Line>();
        foreach (KeyValuePair<string, double> region in Regions(profile))
        {
            IReadOnlyList<PriceTier> tiers = Tiers(prices, region.Key, "monthlyP95Bandwidth");
            decimal mbps = billed ? PeakMbps(profile, region.Value) : 0;
            lines.AddRange(ApplyTiers(
                prices.Rule,
                tiers,
                mbps,
                1,
                $"95th-percentile bandwidth, {region.Key}",
                "Mbps·month",
                "Mbps",
                $"{table.OptionsPath}:MonthlyP95Bandwidth:{region.Key}"));
        }

        return lines;
    }

    // Applies tiers to a per-period quantity. Daily rules: perDay is one day's quantity, billed on each of `days`.
    // Monthly rules: the month's quantity is perDay × days (for p95 the caller passes the month's value and days = 1).
    private static List<Line> ApplyTiers(TierRule rule, IReadOnlyList<PriceTier> tiers, decimal perDay, int days, string label, string unit, string tierUnit, string key)
    {
        bool daily = rule is TierRule.DailyReached or TierRule.DailyCumulative;
        decimal quantity = daily ? perDay : perDay * days;
        int periods = daily ? days : 1;
        string period = daily ? "day" : "month";
        var lines = new List<Line>();
        if (quantity <= 0)
        {
            return lines;
        }

        if (rule is TierRule.DailyReached or TierRule.MonthlyReached)
        {
            int reached = 0;
            for (int i = 1; i < tiers.Count; i++)
            {
                if (quantity > tiers[i].From)
                {
                    reached = i;
                }
            }

            decimal price = Need(tiers, reached, key, tierUnit);
            string times = daily ? $" × {days} day(s)" : string.Empty;
            lines.Add(new Line($"{label}: {Num(quantity)} {tierUnit} per {period}{times}, the {period}'s total reaches tier {Range(tiers, reached, tierUnit)}", quantity * periods, unit, price));
            return lines;
        }

        for (int i = 0; i < tiers.Count && quantity > tiers[i].From; i++)
        {
            decimal upper = i + 1 < tiers.Count ? tiers[i + 1].From : decimal.MaxValue;
            decimal slice = Math.Min(quantity, upper) - tiers[i].From;
            decimal price = Need(tiers, i, key, tierUnit);
            string times = daily ? $" × {days} day(s)" : string.Empty;
            lines.Add(new Line($"{label}: tier {Range(tiers, i, tierUnit)}, {Num(slice)} {tierUnit} of the {period}'s {Num(quantity)}{times}", slice * periods, unit, price));
        }

        return lines;
    }

    private static decimal Need(IReadOnlyList<PriceTier> tiers, int index, string key, string tierUnit) =>
        tiers[index].Price ?? throw new PriceNotConfirmedException(
            key,
            $"{key} is not confirmed (no list price for the tier {Range(tiers, index, tierUnit)}); supply it: set {key} to a list of " +
            $"{{ From, Price }} tiers, e.g. {key}:0:From = 0 and {key}:0:Price = <your price>.");

    private static string Range(IReadOnlyList<PriceTier> tiers, int index, string unit) =>
        index + 1 < tiers.Count
            ? $"{Num(tiers[index].From)}–{Num(tiers[index + 1].From)} {unit}"
            : $"above {Num(tiers[index].From)} {unit}";

    private static List<Line> TranscodingLines(PriceTable table, UsageProfile profile)
    {
        var lines = new List<Line>();
        foreach (KeyValuePair<string, double> entry in profile.TranscodingMinutesPerDay.Where(e => e.Value > 0))
        {
            KeyValuePair<string, decimal?> price = table.Transcoding.FirstOrDefault(p => string.Equals(p.Key, entry.Key, StringComparison.OrdinalIgnoreCase));
            if (price.Key is null)
            {
                throw ProfileError(
                    nameof(UsageProfile.TranscodingMinutesPerDay),
                    $"TranscodingMinutesPerDay has resolution class '{entry.Key}' that the {table.Provider} price table does not price; its classes: {string.Join(", ", table.Transcoding.Keys)}.");
            }

            string key = $"{table.OptionsPath}:Transcoding:{entry.Key}";
            decimal unitPrice = price.Value ?? throw new PriceNotConfirmedException(key, $"{key} is not confirmed; supply it (price per minute of {entry.Key} transcoding).");
            decimal minutes = (decimal)entry.Value * profile.DaysPerMonth;
            lines.Add(new Line($"Transcoding {entry.Key}: {Num((decimal)entry.Value)} min per day × {profile.DaysPerMonth} day(s)", minutes, "minute", unitPrice));
        }

        return lines;
    }

    private static List<Line> RecordingLines(PriceTable table, UsageProfile profile)
    {
        if (profile.RecordingHoursPerDay <= 0)
        {
            return [];
        }

        string key = $"{table.OptionsPath}:{nameof(PriceOverrides.RecordingPerChannelMonth)}";
        decimal price = table.RecordingPerChannelMonth ?? throw new PriceNotConfirmedException(key, $"{key} is not confirmed; supply it (recording price per concurrent channel per month).");
        decimal channelMonths = profile.RecordingChannels * (decimal)profile.DaysPerMonth / profile.DaysInMonth;
        return [new Line($"Recording: {profile.RecordingChannels} channel(s) × {profile.DaysPerMonth}/{profile.DaysInMonth} of the month", channelMonths, "channel·month", price)];
    }

    private static List<Line> StorageLines(PriceTable table, UsageProfile profile)
    {
        if (profile.RecordingHoursPerDay <= 0 || profile.RecordingRetentionDays <= 0)
        {
            return [];
        }

        string key = $"{table.OptionsPath}:{nameof(PriceOverrides.StoragePerGBMonth)}";
        decimal price = table.StoragePerGBMonth ?? throw new PriceNotConfirmedException(key, $"{key} is not confirmed; supply it (storage price of recordings per GB-month).");
        decimal gbPerDay = profile.RecordingChannels * (decimal)profile.BitrateKbps * (decimal)profile.OverheadFactor * (decimal)profile.RecordingHoursPerDay * 3600m * 125m / BytesPerGB(table.MegabytesPerGigabyte);
        decimal gbMonths = gbPerDay * profile.DaysPerMonth * profile.RecordingRetentionDays / profile.DaysInMonth;
        return [new Line($"Recording storage: {Num(gbPerDay)} GB per day × {profile.DaysPerMonth} day(s) kept {profile.RecordingRetentionDays} day(s)", gbMonths, "GB·month", price)];
    }

    private static List<Line> RelayLines(PriceTable table, UsageProfile profile)
    {
        var lines = new List<Line>();
        if (profile.RelayMinutesPerDay > 0)
        {
            string key = $"{table.OptionsPath}:{nameof(PriceOverrides.RelayPerMinute)}";
            decimal price = table.RelayPerMinute ?? throw new PriceNotConfirmedException(key, $"{key} is not confirmed; supply it (relay task price per minute).");
            decimal minutes = (decimal)profile.RelayMinutesPerDay * profile.DaysPerMonth;
            lines.Add(new Line($"Relays: {Num((decimal)profile.RelayMinutesPerDay)} min per day × {profile.DaysPerMonth} day(s)", minutes, "minute", price));
        }

        if (profile.ThirdPartyRelays > 0)
        {
            string key = $"{table.OptionsPath}:{nameof(PriceOverrides.ThirdPartyRelayPerMbpsMonth)}";
            decimal price = table.ThirdPartyRelayPerMbpsMonth ?? throw new PriceNotConfirmedException(key, $"{key} is not confirmed; supply it (price per Mbps per month of relays to other platforms).");
            decimal peakMbps = profile.ThirdPartyRelays * (decimal)profile.BitrateKbps * (decimal)profile.OverheadFactor / 1000m;
            decimal mbpsMonths = peakMbps * profile.DaysPerMonth / profile.DaysInMonth;
            lines.Add(new Line(
                $"Relays to other platforms: {profile.ThirdPartyRelays} × {Num((decimal)profile.BitrateKbps * (decimal)profile.OverheadFactor / 1000m)} Mbps = {Num(peakMbps)} Mbps daily peak × {profile.DaysPerMonth}/{profile.DaysInMonth} of the month",
                mbpsMonths,
                "Mbps·month",
                price));
        }

        return lines;
    }

    private static CostLineItem ToItem(Line line) => new(
        line.Description,
        Math.Round(line.Quantity, 6, MidpointRounding.AwayFromZero),
        line.Unit,
        line.UnitPrice,
        Math.Round(line.Quantity * line.UnitPrice, 2, MidpointRounding.AwayFromZero));

    private static void AtMost(double value, double max, string property, string unit)
    {
        if (value > max)
        {
            throw new ArgumentOutOfRangeException(
                property,
                string.Create(CultureInfo.InvariantCulture, $"{property} {value} cannot be priced: the cost engine prices at most {max:#,0} {unit}."));
        }
    }

    private static void CheckShare(double share)
    {
        if (!(share >= 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), string.Create(CultureInfo.InvariantCulture, $"The share of viewers must be from 0 to 1; got {share}."));
        }
    }

    // Within the profile limits only huge prices (or a model's huge server figures) get here.
    private static ArgumentOutOfRangeException Overflow(string provider, UsageProfile profile, OverflowException inner) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"{provider} cannot price this profile at its prices: an amount exceeds what decimal holds (7.9E+28). Profile: PeakViewers {profile.PeakViewers}, " +
            $"BitrateKbps {profile.BitrateKbps}, HoursPerDay {profile.HoursPerDay}, DaysPerMonth {profile.DaysPerMonth}, RecordingChannels {profile.RecordingChannels}, " +
            $"RecordingRetentionDays {profile.RecordingRetentionDays}."),
        inner);

    // The profile's property is the "parameter" at fault: the exception names it, as UsageProfile's own checks do.
    private static ArgumentException ProfileError(string property, string message) => new(message, property);

    private static string Num(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero).ToString("0.####", CultureInfo.InvariantCulture);

    private sealed record Line(string Description, decimal Quantity, string Unit, decimal UnitPrice);

    private sealed class UnpricedRegionException(string message) : Exception(message);
}
