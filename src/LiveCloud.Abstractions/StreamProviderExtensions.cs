namespace LiveCloud;

/// <summary>Typed access to <see cref="IStreamProvider.GetService"/>.</summary>
public static class StreamProviderExtensions
{
    /// <summary>
    /// The provider's object of type <typeparamref name="TService"/> (a vendor provider, its options or API client, a
    /// decorator), looked up through every decorator; <see langword="null"/> when there is none.
    /// </summary>
    /// <typeparam name="TService">The type asked for.</typeparam>
    /// <param name="provider">The provider, decorated or not.</param>
    /// <param name="serviceKey">An optional key.</param>
    public static TService? GetService<TService>(this IStreamProvider provider, object? serviceKey = null)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.GetService(typeof(TService), serviceKey) as TService;
    }

    /// <summary>Like <see cref="GetService{TService}"/>, but throws when the provider has no such object.</summary>
    /// <typeparam name="TService">The type asked for.</typeparam>
    /// <param name="provider">The provider, decorated or not.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <exception cref="InvalidOperationException">The provider has no <typeparamref name="TService"/>; the message names the provider.</exception>
    public static TService GetRequiredService<TService>(this IStreamProvider provider, object? serviceKey = null)
        where TService : class =>
        provider.GetService<TService>(serviceKey)
            ?? throw new InvalidOperationException($"The {provider.Name} provider has no {typeof(TService).Name}{(serviceKey is null ? "" : $" keyed '{serviceKey}'")}.");
}
