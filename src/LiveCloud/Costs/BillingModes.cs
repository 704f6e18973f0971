namespace LiveCloud.Costs;

/// <summary>The names of the billing modes the cost engine prices (<see cref="CostEstimate.BillingMode"/>).</summary>
public static class BillingModes
{
    /// <summary>By downstream traffic (GB), under the table's <see cref="PriceTable.Traffic"/> tiers.</summary>
    public const string Traffic = "traffic";

    /// <summary>By each show day's peak bandwidth (Mbps per day), under <see cref="PriceTable.DailyPeakBandwidth"/>.</summary>
    public const string DailyPeakBandwidth = "daily-peak-bandwidth";

    /// <summary>By the month's 95th-percentile bandwidth (Mbps per month), under <see cref="PriceTable.MonthlyP95Bandwidth"/>.</summary>
    public const string MonthlyP95Bandwidth = "monthly-p95-bandwidth";

    /// <summary>Self-hosted servers whose egress is included in the server price.</summary>
    public const string SelfHosted = "self-hosted";

    /// <summary>Self-hosted servers plus egress billed per GB.</summary>
    public const string SelfHostedTraffic = "self-hosted-traffic";

    /// <summary>Self-hosted servers plus egress billed per Mbps of peak bandwidth per month.</summary>
    public const string SelfHostedBandwidth = "self-hosted-bandwidth";
}
