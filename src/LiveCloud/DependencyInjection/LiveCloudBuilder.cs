using System.Reflection;
using LiveCloud.Configuration;
using LiveCloud.Costs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud;

/// <summary>
/// Returned by <c>services.AddLiveCloud(...)</c>. Each vendor package adds its provider with an extension
/// (<c>AddTencent()</c>, <c>AddAliyun()</c>, <c>AddQiniu()</c>, <c>AddNginx()</c>) built on
/// <see cref="AddProvider{TProvider, TOptions}"/>; <see cref="Use(Func{IStreamProvider, IServiceProvider, IStreamProvider})"/>
/// wraps every provider in decorators such as <c>UseLogging()</c> and <c>UseOpenTelemetry()</c>.
/// </summary>
public sealed class LiveCloudBuilder
{
    /// <summary>The configuration key that gives a provider section's type when its name is not the type's.</summary>
    public const string TypeKey = "Type";

    private readonly ProviderDecorators _decorators;

    internal LiveCloudBuilder(IServiceCollection services, IConfiguration configuration, ProviderDecorators decorators)
    {
        Services = services;
        Configuration = configuration;
        _decorators = decorators;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <c>LiveCloud</c> configuration section.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The decorators every provider gets.</summary>
    internal ProviderDecorators Decorators => _decorators;

    /// <summary>
    /// Wraps every configured provider (those added before and after this call) in a decorator, typically a
    /// <see cref="DelegatingStreamProvider"/>. The first decorator added is the outermost: calls pass through the
    /// decorators in the order they were added, then reach the provider.
    /// </summary>
    /// <param name="decorator">Makes the decorated provider from the inner one and the services.</param>
    /// <returns>This builder, for chaining.</returns>
    public LiveCloudBuilder Use(Func<IStreamProvider, IServiceProvider, IStreamProvider> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        _decorators.Add(decorator);
        return this;
    }

    /// <summary>Wraps every configured provider in a decorator that needs no services.</summary>
    /// <param name="decorator">Makes the decorated provider from the inner one.</param>
    /// <returns>This builder, for chaining.</returns>
    public LiveCloudBuilder Use(Func<IStreamProvider, IStreamProvider> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        return Use((inner, _) => decorator(inner));
    }

    /// <summary>
    /// Registers every configured provider of one type: the section named <paramref name="type"/> (when it exists,
    /// when <paramref name="configure"/> is given, or when <c>LiveCloud:Provider</c> names it), and every other
    /// section under <c>LiveCloud</c> whose <c>Type</c> key is <paramref name="type"/> (two accounts or two servers
    /// of one type, side by side, each under its section's name). Each gets its options bound from its section,
    /// validated at start-up, a named <see cref="HttpClient"/> without request logging, and becomes a keyed
    /// <see cref="IStreamProvider"/> (any letter case) wrapped in the decorators of <see cref="Use(Func{IStreamProvider, IServiceProvider, IStreamProvider})"/>.
    /// </summary>
    /// <typeparam name="TProvider">The provider type, also registered (undecorated) as a keyed service of its own type.</typeparam>
    /// <typeparam name="TOptions">Its options, bound as named options under the provider's name.</typeparam>
    /// <param name="type">The provider type's name, e.g. <c>Tencent</c>; also its default section and provider name.</param>
    /// <param name="create">Creates the provider from its context (name, validated options, services, pipeline).</param>
    /// <param name="configure">Code-side configuration applied after binding, to every provider of this type.</param>
    /// <returns>This builder, for chaining.</returns>
    public LiveCloudBuilder AddProvider<TProvider, TOptions>(string type, Func<ProviderContext<TOptions>, TProvider> create, Action<TOptions>? configure = null)
        where TProvider : class, IStreamProvider
        where TOptions : VendorOptions
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(create);

        bool selected = string.Equals(Configuration[nameof(LiveCloudOptions.Provider)], type, StringComparison.OrdinalIgnoreCase);
        IConfigurationSection own = Configuration.GetSection(type);
        if (own.Exists() || configure is not null || selected)
        {
            Register(type, type, own, create, configure);
        }

        foreach (IConfigurationSection section in Configuration.GetChildren())
        {
            if (!string.Equals(section.Key, type, StringComparison.OrdinalIgnoreCase)
                && string.Equals(section[TypeKey], type, StringComparison.OrdinalIgnoreCase))
            {
                Register(section.Key, type, section, create, configure);
            }
        }

        return this;
    }

    /// <summary>
    /// Registers a vendor client that is not a stream provider (a chat service, a platform API) when
    /// <paramref name="section"/> exists or <paramref name="configure"/> is given: options bound from the section and
    /// validated at start-up (messages name the section's keys), a named <see cref="HttpClient"/> without request
    /// logging, and the client as a singleton made from its context.
    /// </summary>
    /// <typeparam name="TClient">The client type.</typeparam>
    /// <typeparam name="TOptions">Its options.</typeparam>
    /// <param name="name">The client's name, for logs, errors and its pipeline, e.g. <c>TencentIm</c>.</param>
    /// <param name="section">Its configuration section (anywhere in the configuration, e.g. <c>Chat:Tencent</c>).</param>
    /// <param name="create">Creates the client from its context.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>This builder, for chaining.</returns>
    public LiveCloudBuilder AddVendorClient<TClient, TOptions>(string name, IConfiguration section, Func<ProviderContext<TOptions>, TClient> create, Action<TOptions>? configure = null)
        where TClient : class
        where TOptions : VendorOptions
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(create);
        bool exists = section is not IConfigurationSection s || s.Exists();
        if (!exists && configure is null)
        {
            return this;
        }

        string path = section is IConfigurationSection named ? named.Path : name;
        // One client of a kind: its options are the default (unnamed) ones, so IOptions<TOptions> reads them.
        OptionsBuilder<TOptions> options = Services.AddOptions<TOptions>().BindChecked(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(Options.DefaultName, path));
        Services.AddHttpClient(ProviderContext<TOptions>.HttpClientName(name)).RemoveAllLoggers();
        Services.AddSingleton(sp => create(new ProviderContext<TOptions>(sp, name, path, sp.GetRequiredService<IOptions<TOptions>>().Value)));
        return this;
    }

    private void Register<TProvider, TOptions>(string name, string type, IConfigurationSection section, Func<ProviderContext<TOptions>, TProvider> create, Action<TOptions>? configure)
        where TProvider : class, IStreamProvider
        where TOptions : VendorOptions
    {
        if (Services.Any(d => d.ServiceType == typeof(ProviderRegistration) && d.ImplementationInstance is ProviderRegistration r && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"The {name} provider is added twice.");
        }

        OptionsBuilder<TOptions> options = Services.AddOptions<TOptions>(name).BindChecked(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(name, section.Path));
        Services.AddHttpClient(ProviderContext<TOptions>.HttpClientName(name)).RemoveAllLoggers();
        Services.AddSingleton(new ProviderRegistration(name, type));
        Services.AddKeyedSingleton(name, (sp, _) => create(new ProviderContext<TOptions>(sp, name, section.Path, sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name))));
        Services.AddKeyedSingleton<IStreamProvider>(name, (sp, _) => _decorators.Apply(sp.GetRequiredKeyedService<TProvider>(name), sp));
    }

    // Reports every bad key at once, each message naming its full configuration path; price overrides included,
    // so a malformed price fails at start-up rather than on the first estimate.
    private sealed class SectionValidator<TOptions>(string name, string path) : IValidateOptions<TOptions>
        where TOptions : VendorOptions
    {
        private static readonly PropertyInfo[] PriceProperties =
            [.. typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(PriceOverrides) && p.GetMethod is { IsPublic: true })];

        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (!string.Equals(optionsName, name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = new List<string>();
            options.Validate(path, failures);
            foreach (PropertyInfo property in PriceProperties)
            {
                (property.GetValue(options) as PriceOverrides)?.Validate($"{path}:{property.Name}", failures);
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>The decorators of <see cref="LiveCloudBuilder.Use(Func{IStreamProvider, IServiceProvider, IStreamProvider})"/>, shared by every provider.</summary>
internal sealed class ProviderDecorators
{
    private readonly List<Func<IStreamProvider, IServiceProvider, IStreamProvider>> _decorators = [];
    private Func<IStreamProvider, IServiceProvider, IStreamProvider>? _innermost;

    public void Add(Func<IStreamProvider, IServiceProvider, IStreamProvider> decorator) => _decorators.Add(decorator);

    /// <summary>The decorator closest to every provider, inside those of <c>Use</c> (the multi-cloud members' tap).</summary>
    public void SetInnermost(Func<IStreamProvider, IServiceProvider, IStreamProvider> decorator) => _innermost = decorator;

    public IStreamProvider Apply(IStreamProvider provider, IServiceProvider services)
    {
        if (_innermost is not null)
        {
            provider = _innermost(provider, services);
        }

        // The first added is the outermost, so wrap from the last one in.
        for (int i = _decorators.Count - 1; i >= 0; i--)
        {
            provider = _decorators[i](provider, services)
                ?? throw new InvalidOperationException($"A LiveCloud decorator returned null for the {provider.Name} provider.");
        }

        return provider;
    }
}
