using LiveCloud.LiveRooms.Rooms;
using LiveCloud.Nginx;

namespace LiveCloud.LiveRooms;

/// <summary>The live-rooms app in multi-cloud mode: a <c>"Type": "MultiCloud"</c> provider over nginx members (and clouds).</summary>
public static partial class LiveRoomsApp
{
    // The rooms' view of multi-cloud providers (member → composite, state from the ledger, the reconnect window) and the
    // service that follows shows over time (ledger entries, serving changes, the window's end); before the lifecycle, so
    // it listens before any nginx member takes a push.
    private static void AddMultiCloudRooms(IServiceCollection services)
    {
        services.AddSingleton<MultiCloudRooms>();
        services.AddSingleton<ShowFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ShowFollower>());
    }

    /// <summary>
    /// Local defaults for each nginx section other than <c>LiveCloud:Nginx</c> (<c>"Type": "Nginx"</c>, e.g. the members
    /// <c>NginxA</c> and <c>NginxB</c> of a multi-cloud provider), each only where configuration leaves it unset: a work
    /// folder <c>nginx-{name}</c> under the data folder, hooks on the app's own <c>/api/callbacks/{name}</c>, and a
    /// development signing key of its own kept in the data folder. Ports are never defaulted: two servers need two pairs.
    /// </summary>
    private static void ApplyMemberDefaults(WebApplicationBuilder builder, string dataDirectory)
    {
        ConfigurationManager config = builder.Configuration;
        var defaults = new Dictionary<string, string?>();
        foreach (IConfigurationSection section in config.GetSection(LiveCloudOptions.SectionName).GetChildren())
        {
            string name = section.Key;
            if (string.Equals(name, NginxOptions.ProviderName, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(section["Type"], NginxOptions.ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string key = $"{LiveCloudOptions.SectionName}:{name}:";
            if (string.IsNullOrEmpty(section["WorkDirectory"]))
            {
                defaults[key + "WorkDirectory"] = Path.Combine(dataDirectory, "nginx-" + name);
            }

            if (string.IsNullOrEmpty(section["HookBaseUrl"]) && AppUrl(config) is { } appUrl)
            {
                defaults[key + "HookBaseUrl"] = appUrl + "/api/callbacks/" + Uri.EscapeDataString(name);
            }

            if (string.IsNullOrEmpty(section["SigningKey"]))
            {
                defaults[key + "SigningKey"] = DevelopmentSigningKey(dataDirectory, "nginx-signing-key-" + name);
            }
        }

        if (defaults.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(defaults);
        }
    }
}
