using LiveCloud;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LiveCloud.</summary>
public static class LiveCloudServiceCollectionExtensions
{
    /// <summary>
    /// Adds LiveCloud from the <c>LiveCloud</c> configuration section. Chain the vendor packages' builders:
    /// <c>services.AddLiveCloud(config.GetSection("LiveCloud")).AddTencent().AddNginx();</c>
    /// </summary>
    /// <remarks>
    /// Registers <see cref="IStreamProvider"/> (the provider <c>LiveCloud:Provider</c> selects), each
    /// configured provider as a keyed <see cref="IStreamProvider"/> under its name (any letter case),
    /// <see cref="StreamProviders"/> to enumerate them, and a start-up check that the selected provider is
    /// configured (it runs with the host, or through <c>IStartupValidator</c>). Also registers the shared
    /// <see cref="LiveCloud.Dns.ICnameVerifier"/>, configured from <c>LiveCloud:Dns</c>. Every section with
    /// <c>"Type": "MultiCloud"</c> becomes a <see cref="LiveCloud.MultiCloud.MultiCloudStreamProvider"/> over the providers it
    /// names; without one, nothing of the multi-cloud machinery is registered.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>LiveCloud</c> section.</param>
    /// <returns>A builder for adding providers.</returns>
    public static LiveCloudBuilder AddLiveCloud(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<LiveCloudOptions>().BindChecked(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveCloudOptions>, SelectedProviderValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLiveCloudDns(configuration);
        services.TryAddSingleton(sp => new StreamProviders(
            sp,
            sp.GetServices<ProviderRegistration>(),
            () => sp.GetRequiredService<IOptions<LiveCloudOptions>>().Value.Provider));
        services.TryAddSingleton(sp => sp.GetRequiredService<StreamProviders>().Default);

        // Keys in another letter case ("tencent") reach the registered one ("Tencent") through here.
        services.TryAddKeyedSingleton<IStreamProvider>(KeyedService.AnyKey, (sp, key) => key is string name
            ? sp.GetRequiredService<StreamProviders>().Get(name)
            : throw new InvalidOperationException($"LiveCloud providers are keyed by name (a string); got {key?.GetType().Name ?? "null"}."));
        // One decorator list per service collection, shared by every builder over it.
        ProviderDecorators? decorators = services.FirstOrDefault(d => d.ServiceType == typeof(ProviderDecorators))?.ImplementationInstance as ProviderDecorators;
        if (decorators is null)
        {
            decorators = new ProviderDecorators();
            services.AddSingleton(decorators);
        }

        var builder = new LiveCloudBuilder(services, configuration, decorators);
        LiveCloud.MultiCloud.MultiCloudRegistration.AddConfigured(builder);
        return builder;
    }

    private sealed class SelectedProviderValidator(IEnumerable<ProviderRegistration> registrations) : IValidateOptions<LiveCloudOptions>
    {
        public ValidateOptionsResult Validate(string? name, LiveCloudOptions options)
        {
            string[] names = [.. registrations.Select(r => r.Name).Order(StringComparer.OrdinalIgnoreCase)];
            try
            {
                string selected = StreamProviders.ResolveDefaultName(options.Provider, names);
                return names.Contains(selected, StringComparer.OrdinalIgnoreCase)
                    ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail(StreamProviders.UnknownProviderMessage(selected, names));
            }
            catch (LiveCloudConfigurationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
