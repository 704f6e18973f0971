using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Tests;

public class DependencyInjectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<LiveCloudBuilder> add)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        add(services.AddLiveCloud(config.GetSection("LiveCloud")));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static Dictionary<string, string?> TwoProviders(string? selected) => new()
    {
        ["LiveCloud:Provider"] = selected,
        ["LiveCloud:First:Host"] = "first.example.com",
        ["LiveCloud:First:Key"] = "k1",
        ["LiveCloud:Second:Host"] = "second.example.com",
        ["LiveCloud:Second:Key"] = "k2",
    };

    private static void AddBoth(LiveCloudBuilder b) => b.AddSample("First").AddSample("Second");

    [Fact]
    public void Provider_setting_selects_the_default()
    {
        using ServiceProvider sp = Build(TwoProviders("Second"), AddBoth);
        sp.GetRequiredService<IStartupValidator>().Validate();
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Name.Should().Be("Second");
        ((SampleProvider)provider).Options.Host.Should().Be("second.example.com", "options bind from the provider's own section");
    }

    [Fact]
    public void Every_configured_provider_is_keyed_by_name_in_any_case()
    {
        using ServiceProvider sp = Build(TwoProviders("first"), AddBoth);
        IStreamProvider first = sp.GetRequiredKeyedService<IStreamProvider>("First");
        sp.GetRequiredKeyedService<IStreamProvider>("first").Should().BeSameAs(first);
        sp.GetRequiredKeyedService<IStreamProvider>("FIRST").Should().BeSameAs(first);
        sp.GetRequiredKeyedService<IStreamProvider>("second").Name.Should().Be("Second");
        sp.GetRequiredService<IStreamProvider>().Should().BeSameAs(first, "the default is the same singleton as the keyed one");
        sp.GetRequiredService<StreamProviders>().Names.Should().Equal("First", "Second");
    }

    [Fact]
    public void Unknown_provider_fails_at_start_up_listing_the_configured_ones()
    {
        using ServiceProvider sp = Build(TwoProviders("Tencent"), AddBoth);
        Action start = () => sp.GetRequiredService<IStartupValidator>().Validate();
        start.Should().Throw<OptionsValidationException>()
            .Where(e => e.Message.Contains("'Tencent'") && e.Message.Contains("First, Second"));
        Action keyed = () => sp.GetRequiredKeyedService<IStreamProvider>("aliyun");
        keyed.Should().Throw<LiveCloudConfigurationException>().Where(e => e.Message.Contains("'aliyun'") && e.Message.Contains("First, Second"));
    }

    [Fact]
    public void Unset_provider_with_one_configured_uses_it_and_with_two_fails_naming_the_key()
    {
        var one = new Dictionary<string, string?> { ["LiveCloud:Only:Host"] = "h", ["LiveCloud:Only:Key"] = "k" };
        using (ServiceProvider sp = Build(one, b => b.AddSample("Only").AddSample("Absent")))
        {
            sp.GetRequiredService<IStartupValidator>().Validate();
            sp.GetRequiredService<IStreamProvider>().Name.Should().Be("Only");
            sp.GetRequiredService<StreamProviders>().Names.Should().Equal(["Only"], "a provider without a section is not configured");
        }

        using ServiceProvider two = Build(TwoProviders(null), AddBoth);
        Action start = () => two.GetRequiredService<IStartupValidator>().Validate();
        start.Should().Throw<OptionsValidationException>().Where(e => e.Message.Contains("LiveCloud:Provider is not set"));
    }

    [Fact]
    public void Missing_keys_fail_at_start_up_naming_each_full_key()
    {
        var settings = new Dictionary<string, string?> { ["LiveCloud:Provider"] = "Sample" };
        using ServiceProvider sp = Build(settings, b => b.AddSample());
        Action start = () => sp.GetRequiredService<IStartupValidator>().Validate();
        OptionsValidationException error = start.Should().Throw<OptionsValidationException>().Which;
        error.Failures.Should().Contain("LiveCloud:Sample:Host is required.").And.Contain("LiveCloud:Sample:Key is required.");
    }

    [Fact]
    public void Code_configuration_registers_a_provider_without_a_section()
    {
        using ServiceProvider sp = Build([], b => b.AddSample(configure: o => { o.Host = "h"; o.Key = "k"; }));
        sp.GetRequiredService<IStartupValidator>().Validate();
        sp.GetRequiredKeyedService<IStreamProvider>("sample").Name.Should().Be("Sample");
    }

    [Fact]
    public void Adding_a_provider_twice_is_an_error()
    {
        var settings = new Dictionary<string, string?> { ["LiveCloud:Sample:Host"] = "h" };
        Action add = () => Build(settings, b => b.AddSample().AddSample("sample"));
        add.Should().Throw<InvalidOperationException>().WithMessage("*added twice*");
    }
}
