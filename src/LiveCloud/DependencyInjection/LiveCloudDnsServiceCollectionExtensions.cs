using LiveCloud.Dns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveCloud;

/// <summary>Registers the shared <see cref="ICnameVerifier"/>; <c>AddLiveCloud</c> calls it.</summary>
internal static class LiveCloudDnsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICnameVerifier"/> as a singleton <see cref="CnameVerifier"/> (unless one is already
    /// registered) with <see cref="CnameVerifierOptions"/> bound from <c>LiveCloud:Dns</c> and validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="liveCloudSection">The <c>LiveCloud</c> section.</param>
    internal static void AddLiveCloudDns(this IServiceCollection services, IConfiguration liveCloudSection)
    {
        services.AddOptions<CnameVerifierOptions>().BindChecked(liveCloudSection.GetSection(CnameVerifierOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CnameVerifierOptions>, CnameVerifierOptionsValidator>());
        services.TryAddSingleton<ICnameVerifier>(sp => new CnameVerifier(sp.GetRequiredService<IOptions<CnameVerifierOptions>>()));
    }

    private sealed class CnameVerifierOptionsValidator : IValidateOptions<CnameVerifierOptions>
    {
        public ValidateOptionsResult Validate(string? name, CnameVerifierOptions options)
        {
            IReadOnlyList<string> failures = options.Validate();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
