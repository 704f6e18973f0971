using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.MultiCloud;

/// <summary>
/// Registers every multi-cloud section (<c>"Type": "MultiCloud"</c>) when <c>AddLiveCloud</c> runs: the composite as a
/// provider like any other (keyed, decorated, selectable by <c>LiveCloud:Provider</c>), a start-up check that its members
/// are configured single providers, and the tap on each member. Without such a section nothing is registered, so an app
/// with one provider pays nothing.
/// </summary>
internal static class MultiCloudRegistration
{
    public static void AddConfigured(LiveCloudBuilder builder)
    {
        IConfiguration configuration = builder.Configuration;
        List<IConfigurationSection> sections = [.. configuration.GetChildren().Where(IsMultiCloud)];
        bool selected = string.Equals(configuration[nameof(LiveCloudOptions.Provider)], MultiCloudOptions.TypeName, StringComparison.OrdinalIgnoreCase);
        if ((sections.Count == 0 && !selected) || builder.Services.Any(d => d.ServiceType == typeof(Membership)))
        {
            return;
        }

        var membership = new Membership(sections);
        builder.Services.AddSingleton(membership);
        builder.Services.AddSingleton<IValidateOptions<MultiCloudOptions>>(sp => new MemberValidator(membership, sp.GetServices<ProviderRegistration>()));
        builder.Decorators.SetInnermost(membership.Tap);
        builder.AddProvider<MultiCloudStreamProvider, MultiCloudOptions>(MultiCloudOptions.TypeName, static context =>
        {
            StreamProviders providers = context.Services.GetRequiredService<StreamProviders>();
            return new MultiCloudStreamProvider(
                context.Name,
                context.Options.Members.Select(providers.Get),
                context.Options,
                context.TimeProvider,
                context.Services.GetKeyedService<ISessionLedger>(context.Name),
                context.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ProviderContext<MultiCloudOptions>.HttpClientName(context.Name)),
                context.Services.GetService<IMeterFactory>(),
                context.CreateLogger());
        });
    }

    private static bool IsMultiCloud(IConfigurationSection section) =>
        string.Equals(section[LiveCloudBuilder.TypeKey], MultiCloudOptions.TypeName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(section.Key, MultiCloudOptions.TypeName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Which configured providers are members of which multi-cloud providers, from the configuration.</summary>
    private sealed class Membership
    {
        private readonly Dictionary<string, List<string>> _compositesOf = new(StringComparer.OrdinalIgnoreCase);

        public Membership(IEnumerable<IConfigurationSection> sections)
        {
            foreach (IConfigurationSection section in sections)
            {
                Paths[section.Key] = section.Path;
                IEnumerable<string?> members = [section[nameof(MultiCloudOptions.Primary)], .. section.GetSection(nameof(MultiCloudOptions.Backups)).GetChildren().Select(c => c.Value)];
                foreach (string member in members.OfType<string>().Where(m => m.Length > 0))
                {
                    if (!_compositesOf.TryGetValue(member, out List<string>? composites))
                    {
                        _compositesOf[member] = composites = [];
                    }

                    composites.Add(section.Key);
                }
            }
        }

        /// <summary>The configuration path of each multi-cloud section, by name.</summary>
        public Dictionary<string, string> Paths { get; } = new(StringComparer.OrdinalIgnoreCase);

        // A member gets the tap; the composites it reports to are created when it first has something to report.
        public IStreamProvider Tap(IStreamProvider provider, IServiceProvider services)
        {
            if (!_compositesOf.TryGetValue(provider.Name, out List<string>? composites) || Paths.ContainsKey(provider.Name))
            {
                return provider;
            }

            return new MemberTap(provider, () =>
            {
                foreach (string composite in composites)
                {
                    services.GetRequiredKeyedService<MultiCloudStreamProvider>(composite);
                }
            });
        }
    }

    // Members must be configured providers, and single ones; checked at start-up with the other options.
    private sealed class MemberValidator(Membership membership, IEnumerable<ProviderRegistration> registrations) : IValidateOptions<MultiCloudOptions>
    {
        public ValidateOptionsResult Validate(string? name, MultiCloudOptions options)
        {
            if (name is null || !membership.Paths.TryGetValue(name, out string? path))
            {
                return ValidateOptionsResult.Skip;
            }

            Dictionary<string, ProviderRegistration> configured = registrations.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
            string[] singles = [.. configured.Values.Where(r => r.Type != MultiCloudOptions.TypeName).Select(r => r.Name).Order(StringComparer.OrdinalIgnoreCase)];
            var failures = new List<string>();
            IReadOnlyList<string> members = options.Members;
            for (int i = 0; i < members.Count; i++)
            {
                string member = members[i];
                string key = options.Primary is not null && i == 0 ? nameof(MultiCloudOptions.Primary) : $"{nameof(MultiCloudOptions.Backups)}:{(options.Primary is null ? i : i - 1).ToString(CultureInfo.InvariantCulture)}";
                if (string.IsNullOrWhiteSpace(member) || string.Equals(member, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // MultiCloudOptions.Validate reports these.
                }

                if (!configured.TryGetValue(member, out ProviderRegistration? registration))
                {
                    failures.Add($"{path}:{key} '{member}' is not a configured provider; configured: {(singles.Length == 0 ? "none" : string.Join(", ", singles))}.");
                }
                else if (registration.Type == MultiCloudOptions.TypeName)
                {
                    failures.Add($"{path}:{key} '{member}' is a multi-cloud provider; members are single providers ({string.Join(", ", singles)}).");
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
