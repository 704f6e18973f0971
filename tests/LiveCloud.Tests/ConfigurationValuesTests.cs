using LiveCloud.Configuration;
using LiveCloud.Costs;
using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Tests;

/// <summary>
/// Configuration the binder cannot convert, or would silently drop, fails start-up with one message per key naming
/// the full key (and the value), as an <see cref="OptionsValidationException"/>: never the binder's
/// <see cref="InvalidOperationException"/> and stack trace, never a price override quietly ignored.
/// </summary>
public class ConfigurationValuesTests
{
    public enum Mode
    {
        Acs3,
        V1,
    }

    [Flags]
    public enum Features
    {
        None = 0,
        Push = 1,
        Play = 2,
    }

    public sealed class Endpoint
    {
        public string? Host { get; set; }

        public int Port { get; set; }
    }

    public sealed class Node
    {
        public Node? Child { get; set; }

        public int Depth { get; set; }
    }

    public sealed class WiredOptions : VendorOptions
    {
        public TimeSpan Skew { get; set; } = TimeSpan.FromSeconds(30);

        public bool Flag { get; set; } = true;

        public int Count { get; set; } = 3;

        public int? Optional { get; set; }

        public Mode Signature { get; set; }

        public Features Enabled { get; set; }

        public double Ratio { get; set; } = 0.5;

        public decimal Money { get; set; }

        public Uri? Endpoint { get; set; }

        public DateOnly AsOf { get; set; }

        public string? Name { get; set; }

        public IList<Endpoint> Items { get; } = [];

        public IDictionary<string, int> Map { get; } = new Dictionary<string, int>();

        public Node? Tree { get; set; }

        public PriceOverrides Prices { get; set; } = new();

        public int Computed => Count * 2;

        protected override void Validate(OptionChecks check)
        {
        }
    }

    private sealed class Wired(WiredOptions options)
    {
        public WiredOptions Options { get; } = options;
    }

    // A valid provider beside the client under test, so only the client's section can fail.
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["LiveCloud:Sample:Host"] = "h";
        settings["LiveCloud:Sample:Key"] = "k";
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddSample()
            .AddVendorClient<Wired, WiredOptions>("Wired", config.GetSection("Chat:Wired"), c => new Wired(c.Options));
        return services.BuildServiceProvider();
    }

    private static IEnumerable<string> StartUpFailures(Dictionary<string, string?> settings)
    {
        using ServiceProvider sp = Build(settings);
        Action start = () => sp.GetRequiredService<IStartupValidator>().Validate();
        return start.Should().Throw<OptionsValidationException>().Which.Failures;
    }

    [Fact]
    public void Wrong_typed_values_are_one_message_each_naming_the_full_key_and_the_value()
    {
        IEnumerable<string> failures = StartUpFailures(new()
        {
            ["Chat:Wired:Skew"] = "abc",
            ["Chat:Wired:Flag"] = "maybe",
            ["Chat:Wired:Count"] = "many",
            ["Chat:Wired:Signature"] = "v9",
            ["Chat:Wired:Ratio"] = "1e400",
            ["Chat:Wired:Money"] = "lots",
            ["Chat:Wired:AsOf"] = "yesterday",
            ["Chat:Wired:Endpoint"] = "https://user:s3cret@[::1",
            ["Chat:Wired:Resilience:MaxRetryAttempts"] = "99999999999",
        });

        failures.Should().BeEquivalentTo(
            "Chat:Wired:Skew 'abc' is not a time span (hh:mm:ss).",
            "Chat:Wired:Flag 'maybe' is not true or false.",
            "Chat:Wired:Count 'many' is not a whole number from -2147483648 to 2147483647.",
            "Chat:Wired:Signature 'v9' is not one of Acs3, V1.",
            "Chat:Wired:Ratio '1e400' is not a finite number.",
            "Chat:Wired:Money 'lots' is not a decimal number (at most 28 digits before the point).",
            "Chat:Wired:AsOf 'yesterday' is not a date (yyyy-MM-dd).",
            "Chat:Wired:Endpoint is not a URI.",
            "Chat:Wired:Resilience:MaxRetryAttempts '99999999999' is not a whole number from -2147483648 to 2147483647.");
    }

    [Fact]
    public void Bad_elements_of_lists_and_dictionaries_are_refused_not_dropped()
    {
        IEnumerable<string> failures = StartUpFailures(new()
        {
            ["Chat:Wired:Items:0:Host"] = "a.example.com",
            ["Chat:Wired:Items:0:Port"] = "eighty",
            ["Chat:Wired:Map:a"] = "1",
            ["Chat:Wired:Map:b"] = "two",
            ["Chat:Wired:Tree:Child:Child:Depth"] = "deep",
        });

        failures.Should().BeEquivalentTo(
            "Chat:Wired:Items:0:Port 'eighty' is not a whole number from -2147483648 to 2147483647.",
            "Chat:Wired:Map:b 'two' is not a whole number from -2147483648 to 2147483647.",
            "Chat:Wired:Tree:Child:Child:Depth 'deep' is not a whole number from -2147483648 to 2147483647.");
    }

    [Fact]
    public void A_value_where_a_section_or_list_belongs_and_a_section_where_a_value_belongs_are_refused_without_echoing_them()
    {
        IEnumerable<string> failures = StartUpFailures(new()
        {
            ["Chat:Wired:Resilience"] = "fast",
            ["Chat:Wired:Items"] = "a.example.com:80",
            ["Chat:Wired:Count:Value"] = "3",
        });

        failures.Should().BeEquivalentTo(
            "Chat:Wired:Resilience has a value; it takes keys instead.",
            "Chat:Wired:Items has a value; it takes a list or keys instead.",
            "Chat:Wired:Count is a section; it takes one value (a whole number from -2147483648 to 2147483647).");
    }

    [Fact]
    public void Control_characters_and_long_values_are_shown_escaped_and_cut_so_the_message_stays_one_line()
    {
        string failure = StartUpFailures(new() { ["Chat:Wired:Count"] = "1\n2" + new string('9', 200) }).Should().ContainSingle().Which;
        failure.Should().StartWith(@"Chat:Wired:Count '1\u000a2999").And.Contain("…' is not a whole number").And.NotContain("\n");
        failure.Length.Should().BeLessThan(200);
    }

    [Fact]
    public void What_the_binder_accepts_still_binds_and_unknown_keys_outside_prices_are_left_alone()
    {
        using ServiceProvider sp = Build(new()
        {
            ["Chat:Wired:Skew"] = "00:01:30",
            ["Chat:Wired:Flag"] = "False",
            ["Chat:Wired:Count"] = " 42 ",
            ["Chat:Wired:Optional"] = "",
            ["Chat:Wired:Signature"] = "v1",
            ["Chat:Wired:Enabled"] = "Push, Play",
            ["Chat:Wired:Ratio"] = "2.5e-1",
            ["Chat:Wired:Money"] = "0.05",
            ["Chat:Wired:Endpoint"] = "https://api.example.com/",
            ["Chat:Wired:AsOf"] = "2025-09-09",
            ["Chat:Wired:Name"] = "名字 🎥",
            ["Chat:Wired:Items:0:Port"] = "8080",
            ["Chat:Wired:Map:a"] = "7",
            ["Chat:Wired:Type"] = "SomethingElse",
            ["Chat:Wired:Unknown:Deep"] = "x",
            ["Chat:Wired:Prices:Traffic:mainland:0:From"] = "0",
            ["Chat:Wired:Prices:Traffic:mainland:0:Price"] = "0.2",
            ["Chat:Wired:Prices:TrafficRule"] = "MonthlyCumulative",
        });
        sp.GetRequiredService<IStartupValidator>().Validate();
        WiredOptions o = sp.GetRequiredService<Wired>().Options;
        o.Skew.Should().Be(TimeSpan.FromSeconds(90));
        o.Flag.Should().BeFalse();
        o.Count.Should().Be(42);
        o.Optional.Should().BeNull();
        o.Signature.Should().Be(Mode.V1);
        o.Enabled.Should().Be(Features.Push | Features.Play);
        o.Ratio.Should().Be(0.25);
        o.Money.Should().Be(0.05m);
        o.AsOf.Should().Be(new DateOnly(2025, 9, 9));
        o.Name.Should().Be("名字 🎥");
        o.Items.Should().ContainSingle().Which.Port.Should().Be(8080);
        o.Map["a"].Should().Be(7);
        o.Prices.Traffic["mainland"].Should().ContainSingle().Which.Price.Should().Be(0.2m);
    }

    [Fact]
    public void A_malformed_price_override_is_a_configuration_error_naming_each_key()
    {
        IEnumerable<string> failures = StartUpFailures(new()
        {
            ["Chat:Wired:Prices:Trafic:mainland:0:Price"] = "0.1",
            ["Chat:Wired:Prices:Traffic:mainland"] = "cheap",
            ["Chat:Wired:Prices:Traffic:overseas:0:From"] = "0",
            ["Chat:Wired:Prices:Traffic:overseas:0:Form"] = "0",
            ["Chat:Wired:Prices:Transcoding:1080p"] = "x",
            ["Chat:Wired:Prices:TrafficRule"] = "Weekly",
        });

        failures.Should().BeEquivalentTo(
            "Chat:Wired:Prices:Trafic is not a key of PriceOverrides; its keys: Traffic, TrafficRule, DailyPeakBandwidth, MonthlyP95Bandwidth, Transcoding, RecordingPerChannelMonth, StoragePerGBMonth, RelayPerMinute, ThirdPartyRelayPerMbpsMonth.",
            "Chat:Wired:Prices:Traffic:mainland has a value; it takes a list or keys instead.",
            "Chat:Wired:Prices:Traffic:overseas:0:Form is not a key of PriceTierOverride; its keys: From, Price.",
            "Chat:Wired:Prices:Traffic:overseas:0:Price is required.",
            "Chat:Wired:Prices:Transcoding:1080p 'x' is not a decimal number (at most 28 digits before the point).",
            "Chat:Wired:Prices:TrafficRule 'Weekly' is not one of DailyReached, DailyCumulative, MonthlyReached, MonthlyCumulative.");
    }

    [Fact]
    public void Price_overrides_that_bind_but_cannot_be_priced_fail_at_start_up_naming_each_key()
    {
        IEnumerable<string> failures = StartUpFailures(new()
        {
            ["Chat:Wired:Prices:Traffic:mainland:0:From"] = "10",
            ["Chat:Wired:Prices:Traffic:mainland:0:Price"] = "0.3",
            ["Chat:Wired:Prices:Traffic:mainland:1:From"] = "5",
            ["Chat:Wired:Prices:Traffic:mainland:1:Price"] = "-0.2",
            ["Chat:Wired:Prices:RecordingPerChannelMonth"] = "-30",
        });

        failures.Should().BeEquivalentTo(
            "Chat:Wired:Prices:Traffic:mainland:0:From must be 0 (the first tier starts from 0); got 10.",
            "Chat:Wired:Prices:Traffic:mainland:1:From must be above the previous tier's (10); got 5.",
            "Chat:Wired:Prices:Traffic:mainland:1:Price must not be negative; got -0.2.",
            "Chat:Wired:Prices:RecordingPerChannelMonth must not be negative; got -30.");
    }

    [Fact]
    public void A_providers_section_and_the_dns_section_are_checked_too()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveCloud:Sample:Host"] = "h",
            ["LiveCloud:Sample:Key"] = "k",
            ["LiveCloud:Sample:Resilience:BaseDelay"] = "soon",
            ["LiveCloud:Dns:UseCache"] = "sometimes",
        };
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddSample();
        using ServiceProvider sp = services.BuildServiceProvider();
        Action start = () => sp.GetRequiredService<IStartupValidator>().Validate();

        // Two options fail: the validator reports both, each with its own failures.
        IEnumerable<string> failures = start.Should().Throw<AggregateException>().Which.InnerExceptions
            .Should().AllBeOfType<OptionsValidationException>().Subject.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
        failures.Should().BeEquivalentTo(
            "LiveCloud:Sample:Resilience:BaseDelay 'soon' is not a time span (hh:mm:ss).",
            "LiveCloud:Dns:UseCache 'sometimes' is not true or false.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.0.0.0:53")]
    [InlineData("[::]:5353")]
    public void The_any_address_is_not_a_name_server_and_fails_at_start_up_naming_the_key(string server)
    {
        // Found by the CLI fuzz: DnsClient threw InvalidOperationException building the verifier from "0" (0.0.0.0).
        IEnumerable<string> failures = StartUpFailures(new() { ["LiveCloud:Dns:NameServers:0"] = server });
        failures.Should().ContainSingle().Which.Should().StartWith($"LiveCloud:Dns:NameServers:0 is '{server}'; give a name server's IP address (not 0.0.0.0 or ::)");
    }

    [Fact]
    public void A_self_referencing_type_nested_deeper_than_any_options_type_is_walked_without_recursing_for_ever()
    {
        string key = "Chat:Wired:Tree" + string.Concat(Enumerable.Repeat(":Child", 200)) + ":Depth";
        using ServiceProvider sp = Build(new() { [key] = "1" });
        sp.GetRequiredService<IStartupValidator>().Validate();
        sp.GetRequiredService<Wired>().Options.Tree!.Child.Should().NotBeNull();
    }
}
