namespace LiveCloud.Costs;

/// <summary>
/// What running your own streaming servers (the nginx-rtmp provider) costs: rented servers, each with an
/// uplink of <see cref="ServerUplinkMbps"/>, plus egress billed per GB or per Mbps where the host bills it.
/// Unlike a vendor <see cref="PriceTable"/> these are the user's own numbers, so a <see langword="null"/>
/// egress price means "not billed that way" (both <see langword="null"/>: egress is included in the server price).
/// </summary>
public sealed record SelfHostedPriceModel
{
    /// <summary>The provider name the estimate carries, e.g. <c>Nginx</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>ISO 4217 currency of every price.</summary>
    public required string Currency { get; init; }

    /// <summary>The date of these prices.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>Where the prices come from (the host's price page, an invoice…).</summary>
    public required string Source { get; init; }

    /// <summary>The rent of one server per month (a whole month is billed even for one show).</summary>
    public required decimal ServerMonthlyCost { get; init; }

    /// <summary>The uplink of one server in Mbps: its NIC speed or the bandwidth bought with it (at most 10,000,000: 10 Tbit/s).</summary>
    public required double ServerUplinkMbps { get; init; }

    /// <summary>The share of the uplink usable for viewers before quality suffers (0 to 1, 0.8 by default).</summary>
    public double UsableUplinkShare { get; init; } = 0.8;

    /// <summary>Egress price per GB, or <see langword="null"/> when the host does not bill egress by traffic.</summary>
    public decimal? EgressPerGB { get; init; }

    /// <summary>Egress price per Mbps of monthly peak bandwidth, or <see langword="null"/> when not billed that way.</summary>
    public decimal? EgressPerMbpsMonth { get; init; }

    /// <summary>How the host counts a GB: 1000 or 1024 MB.</summary>
    public int MegabytesPerGigabyte { get; init; } = 1000;

    /// <summary>Checks the model.</summary>
    /// <returns>This model, for chaining.</returns>
    /// <exception cref="LiveCloudConfigurationException">A value is out of range; the message names it.</exception>
    public SelfHostedPriceModel Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Provider), nameof(Provider), Provider);
        Require(Currency is { Length: 3 } && Currency.All(char.IsAsciiLetterUpper), nameof(Currency), Currency);
        Require(!string.IsNullOrWhiteSpace(Source), nameof(Source), Source);
        Require(ServerMonthlyCost >= 0, nameof(ServerMonthlyCost), ServerMonthlyCost);
        Require(ServerUplinkMbps is > 0 and <= 10_000_000, nameof(ServerUplinkMbps), ServerUplinkMbps);
        Require(UsableUplinkShare is > 0 and <= 1, nameof(UsableUplinkShare), UsableUplinkShare);
        Require(EgressPerGB is null or >= 0, nameof(EgressPerGB), EgressPerGB);
        Require(EgressPerMbpsMonth is null or >= 0, nameof(EgressPerMbpsMonth), EgressPerMbpsMonth);
        Require(MegabytesPerGigabyte is 1000 or 1024, nameof(MegabytesPerGigabyte), MegabytesPerGigabyte);
        return this;
    }

    private static void Require(bool condition, string name, object? value)
    {
        if (!condition)
        {
            throw new LiveCloudConfigurationException($"{nameof(SelfHostedPriceModel)}.{name} is out of range: {value ?? "null"}.");
        }
    }
}
