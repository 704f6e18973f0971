namespace LiveCloud.Demo;

/// <summary>Runs the demo's steps in order, printing each; a failed step is reported and the rest still run where they can.</summary>
internal sealed class Steps(TextWriter output)
{
    private int _number;

    public int Failures { get; private set; }

    /// <summary>Runs a step whose body returns what to print on success, or throws <see cref="StepFailedException"/>.</summary>
    public async Task<bool> RunAsync(string title, Func<Task<string>> body)
    {
        _number++;
        await output.WriteLineAsync($"[{_number,2}] {title}");
        try
        {
            string detail = await body();
            foreach (string line in detail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await output.WriteLineAsync("       " + line);
            }

            await output.WriteLineAsync("     ✓ ok");
            return true;
        }
        catch (Exception ex) when (ex is StepFailedException or LiveCloudException or InvalidOperationException or IOException or HttpRequestException)
        {
            Failures++;
            await output.WriteLineAsync($"     ✗ FAILED: {ex.Message}");
            return false;
        }
    }
}

/// <summary>A step's check did not hold.</summary>
internal sealed class StepFailedException(string message) : Exception(message);
