using LiveCloud.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveCloud;

/// <summary>
/// Returned by <c>services.AddLiveCloud(...)</c>; each vendor package adds itself with an extension
/// (<c>AddTencent()</c>, <c>AddAliyun()</c>, <c>AddQiniu()</c>, <c>AddNginx()</c>) built on <see cref="AddProvider{TProvider, TOptions}"/>.
/// </summary>
public sealed class LiveCloudBuilder
{
    internal LiveCloudBuilder(IServiceCollection services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <c>LiveCloud</c> configuration section.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>
    /// Registers a provider when it is configured: when its section <c>LiveCloud:{name}</c> exists, when
    /// <paramref name="configure"/> is given, or when <c>LiveCloud:Provider</c> names it. Its options bind
    /// from that section, are validated at start-up by <paramref name="validate"/>, and the provider
    /// becomes a keyed <see cref="IStreamProvider"/> under <paramref name="name"/> (any letter case).
    /// </summary>
    /// <typeparam name="TProvider">The provider type, also registered as itself.</typeparam>
    /// <typeparam name="TOptions">Its options type, bound as named options <paramref name="name"/>.</typeparam>
    /// <param name="name">The provider's name, e.g. <c>Tencent</c>.</param>
    /// <param name="create">Creates the provider from the services and its validated options.</param>
    /// <param name="validate">Adds a message per missing or bad key (given the section path, e.g. <c>LiveCloud:Tencent</c>).</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>This builder, for chaining.</returns>
    public LiveCloudBuilder AddProvider<TProvider, TOptions>(
        string name,
        Func<IServiceProvider, TOptions, TProvider> create,
        Action<TOptions, string, ICollection<string>> validate,
        Action<TOptions>? configure = null)
        where TProvider : class, IStreamProvider
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(validate);

        IConfigurationSection section = Configuration.GetSection(name);
        bool selected = string.Equals(Configuration[nameof(LiveCloudOptions.Provider)], name, StringComparison.OrdinalIgnoreCase);
        if (!section.Exists() && configure is null && !selected)
        {
            return this;
        }

        if (Services.Any(d => d.ServiceType == typeof(ProviderRegistration) && d.ImplementationInstance is ProviderRegistration r && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"The {name} provider is added twice.");
        }

        OptionsBuilder<TOptions> options = Services.AddOptions<TOptions>(name).Bind(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(name, section.Path, validate));

        Services.AddSingleton(new ProviderRegistration(name));
        Services.TryAddKeyedSingleton(name, (sp, _) => create(sp, sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
        Services.AddKeyedSingleton<IStreamProvider>(name, (sp, _) => sp.GetRequiredKeyedService<TProvider>(name));
        return this;
    }

    /// <summary>
    /// Registers the named <see cref="HttpClient"/> a provider talks to its vendor with. The factory's
    /// default request logging is removed: it would log URLs whose queries carry signatures.
    /// </summary>
    /// <param name="name">The provider's name, also the client's name.</param>
    public IHttpClientBuilder AddVendorHttpClient(string name) =>
        Services.AddHttpClient(HttpClientName(name)).RemoveAllLoggers();

    /// <summary>Creates the vendor pipeline of a provider from the services (its <see cref="HttpClient"/>, logger and clock).</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="resilience">The provider's resilience options.</param>
    /// <param name="baseAddress">The vendor endpoint.</param>
    public static VendorHttpPipeline CreatePipeline(IServiceProvider services, string name, VendorResilienceOptions resilience, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(services);
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name));
        client.BaseAddress = baseAddress;
        // The pipeline owns timeouts; HttpClient's own 100 s would cut across its attempt timeout.
        client.Timeout = Timeout.InfiniteTimeSpan;
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger("LiveCloud." + name) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        return new VendorHttpPipeline(name, client, resilience, logger, services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    private static string HttpClientName(string provider) => "LiveCloud." + provider;

    // Reports every bad key at once, each message naming its full configuration path.
    private sealed class SectionValidator<TOptions>(string name, string path, Action<TOptions, string, ICollection<string>> validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (!string.Equals(optionsName, name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = new List<string>();
            validate(options, path, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
