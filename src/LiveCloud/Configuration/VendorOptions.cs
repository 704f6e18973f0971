using LiveCloud.Http;

namespace LiveCloud.Configuration;

/// <summary>
/// The base of every vendor's options (a provider's <c>LiveCloud:{Provider}</c>, a chat service's section): the
/// resilience settings of its vendor calls, and one validation path used both at start-up (through DI) and by an
/// object created by hand.
/// </summary>
public abstract class VendorOptions
{
    /// <summary>Retry, timeout and circuit-breaker settings of the provider's vendor calls.</summary>
    public VendorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Adds a message per missing or bad key to <paramref name="failures"/>, naming each key's full path.</summary>
    /// <param name="sectionPath">The section, e.g. <c>LiveCloud:Tencent</c>.</param>
    /// <param name="failures">Where messages go.</param>
    public void Validate(string sectionPath, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(sectionPath);
        ArgumentNullException.ThrowIfNull(failures);
        Validate(new OptionChecks(sectionPath, failures));
        if (Resilience is null)
        {
            failures.Add($"{sectionPath}:{nameof(Resilience)} is required.");
        }
        else
        {
            Resilience.Validate(sectionPath, failures);
        }
    }

    /// <summary>Throws <see cref="LiveCloudConfigurationException"/> listing every bad key unless the options are valid.</summary>
    /// <param name="provider">The provider's name, for the exception.</param>
    /// <param name="sectionPath">The section the keys are reported under, e.g. <c>LiveCloud:Tencent</c>.</param>
    /// <exception cref="LiveCloudConfigurationException">A key is missing or bad; the message names each.</exception>
    public void ThrowIfInvalid(string provider, string sectionPath)
    {
        var failures = new List<string>();
        Validate(sectionPath, failures);
        if (failures.Count > 0)
        {
            throw new LiveCloudConfigurationException(string.Join(" ", failures)) { Provider = provider };
        }
    }

    /// <summary>
    /// Validates <paramref name="options"/> for the provider named after <paramref name="pipeline"/> and returns them: for a
    /// provider's constructor chain, which must refuse bad options before it builds its API client from them.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options.</param>
    /// <param name="pipeline">The provider's pipeline (its name is the provider's).</param>
    /// <exception cref="LiveCloudConfigurationException">A key is missing or bad; the message names each.</exception>
    public static TOptions Validated<TOptions>(TOptions options, VendorHttpPipeline pipeline)
        where TOptions : VendorOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        options.ThrowIfInvalid(pipeline.Provider, $"{LiveCloudOptions.SectionName}:{pipeline.Provider}");
        return options;
    }

    /// <summary>Checks the provider's own keys.</summary>
    /// <param name="check">Collects the failures.</param>
    protected abstract void Validate(OptionChecks check);
}
