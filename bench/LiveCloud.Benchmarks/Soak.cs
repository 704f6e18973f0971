namespace LiveCloud.Benchmarks;

public static class Soak
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length);
}

public static class EmulatorHost
{
    public static Task<int> RunAsync() => Task.FromResult(0);
}
