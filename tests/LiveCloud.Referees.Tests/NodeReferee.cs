using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveCloud.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Runs one script of <c>tests/referees</c> (the vendors' official Node.js SDKs, pinned in its package-lock.json)
/// with a JSON document on standard input and reads the JSON document it prints. Needs Node.js and the installed
/// package (<c>npm ci</c> there, which scripts/prereqs.sh runs): without them a test is skipped with the reason,
/// and fails under CI.
/// </summary>
public static class NodeReferee
{
    /// <summary>The folder of the referee package (<c>tests/referees</c>).</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>Why the referees cannot run here, or <see langword="null"/>.</summary>
    public static string? MissingReason =>
        RealParts.MissingReason(RealParts.Node)
        ?? (Directory.Exists(Path.Combine(Folder, "node_modules", "tencentcloud-sdk-nodejs-common"))
            ? null
            : $"the referee SDKs are not installed in {Folder}; run scripts/prereqs.sh (npm ci there)");

    /// <summary>Skips the calling test when the referees cannot run (fails it under CI).</summary>
    public static void Require() => RealParts.Require(MissingReason, RealParts.UnderCi);

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Folder, "..", ".."));

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> and returns what it printed.</summary>
    /// <param name="script">The script's file name, e.g. <c>tencent-live.js</c>.</param>
    /// <param name="input">Its input document.</param>
    public static async Task<JsonObject> RunAsync(string script, JsonObject input)
    {
        Require();
        var start = new ProcessStartInfo(ToolProcess.Find(RealParts.Node)!)
        {
            WorkingDirectory = Folder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in 90 s. stderr: {await errors}");
        }

        string text = await output;
        if (process.ExitCode != 0 || string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidOperationException($"node {script} exited {process.ExitCode}. stderr: {await errors}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// The faults that let the first <paramref name="step"/> requests through and play <paramref name="fault"/> on the
    /// next: the SDKs do not retry, so each step is one request and the fault meets exactly that step.
    /// </summary>
    /// <param name="steps">The steps the script will take.</param>
    /// <param name="step">The name of the step that meets the fault.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="reachesFaults">Whether a step's request reaches the emulator's faults (one refused before them, for a
    /// bad signature, does not); every step by default.</param>
    public static Fault[] AtStep(JsonArray steps, string step, Fault fault, Func<JsonObject, bool>? reachesFaults = null)
    {
        List<JsonObject> all = [.. steps.Select(s => s!.AsObject())];
        int index = all.FindIndex(s => (string?)s["name"] == step);
        if (index < 0)
        {
            throw new ArgumentException($"No step '{step}'.", nameof(step));
        }

        int before = all.Take(index).Count(reachesFaults ?? (static _ => true));
        return [.. Enumerable.Repeat<Fault>(static _ => Task.FromResult(false), before), fault];
    }

    /// <summary>The result of the step named <paramref name="name"/> in a script's <c>results</c>.</summary>
    public static JsonObject Step(JsonObject output, string name) =>
        output["results"]!.AsArray().Select(r => r!.AsObject()).SingleOrDefault(r => (string?)r["name"] == name)
        ?? throw new InvalidOperationException($"The referee reported no step '{name}'.");

    private static string FindFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "referees");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/referees/package.json was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Builds the JSON inputs of the referee scripts.</summary>
internal static class Json
{
    /// <summary>A JSON object from name/value pairs (values: string, number, bool, JsonNode, or null to leave out).</summary>
    public static JsonObject Obj(params (string Name, object? Value)[] members)
    {
        var o = new JsonObject();
        foreach ((string name, object? value) in members)
        {
            if (value is not null)
            {
                o[name] = value as JsonNode ?? JsonValue.Create(value);
            }
        }

        return o;
    }

    /// <summary>A JSON array.</summary>
    public static JsonArray Arr(params JsonNode?[] items) => new(items);

    /// <summary>The JSON kind of a value, in the vendor models' words: string, number, boolean, array, object.</summary>
    public static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
