using System.Globalization;
using System.Net;
using System.Text;
using LiveCloud.LiveRooms.Tests.Hostile;
using Xunit.Abstractions;

namespace LiveCloud.LiveRooms.Tests.Fuzz;

/// <summary>
/// Runs generated cases against the app one after another on a keep-alive connection, and checks each answer: never a
/// 5xx, a status its class allows, and no log entry at Error or above while it was handled. Seeded and bounded:
/// <c>LIVECLOUD_FUZZ_SEED</c> (default 14) and <c>LIVECLOUD_FUZZ_COUNT</c> (inputs per provider or endpoint group;
/// default 1500) — run <c>LIVECLOUD_FUZZ_COUNT=5000</c> by hand for the 20,000-callback round. Case <c>i</c> of a run is
/// drawn from its own <see cref="Random"/> (seed, group, i), so a failure names what reproduces it.
/// </summary>
internal static class FuzzRun
{
    public const int DefaultCount = 1500;
    public const int DefaultSeed = 14;
    private const int FailuresShown = 20;

    public static int Count => int.TryParse(Environment.GetEnvironmentVariable("LIVECLOUD_FUZZ_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : DefaultCount;

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("LIVECLOUD_FUZZ_SEED"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int s) ? s : DefaultSeed;

    public static Random CaseRandom(int seed, string group, int index)
    {
        int groupHash = 17;
        foreach (char c in group)
        {
            groupHash = unchecked((groupHash * 31) + c);
        }

        return new Random(unchecked((seed * 1_000_003) ^ (groupHash * 7919) ^ index));
    }

    public static async Task RunAsync(CloudRoomsHost host, string group, Func<Random, FuzzCase> make, ITestOutputHelper output)
    {
        int seed = Seed, count = Count;
        var statuses = new SortedDictionary<int, int>();
        var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        int serverErrors = 0, failed = 0;
        int errorsAtStart = host.Logs.ErrorCount;
        await using var connection = new RawHttpConnection(new IPEndPoint(IPAddress.Loopback, host.Port));
        for (int i = 0; i < count; i++)
        {
            FuzzCase fuzz = make(CaseRandom(seed, group, i));
            long logMark = host.Logs.Written;
            int errorsBefore = host.Logs.ErrorCount;
            RawResponse response = await connection.SendAsync(fuzz.Request);
            int errors = host.Logs.ErrorCount - errorsBefore;
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            string cls = fuzz.Class.Split(':')[0];
            classes[cls] = classes.GetValueOrDefault(cls) + 1;
            if (response.Status >= 500)
            {
                serverErrors++;
            }

            if (!fuzz.Allows(response.Status) || errors > 0)
            {
                failed++;
                if (failures.Count < FailuresShown)
                {
                    string expected = fuzz.Allowed.Length == 0 ? "any 2xx-4xx" : string.Join("/", fuzz.Allowed);
                    IEnumerable<LogEntry> logged = host.Logs.Since(logMark).Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Take(3);
                    failures.Add(
                        $"--- {group} case {i} (LIVECLOUD_FUZZ_SEED={seed}), class {fuzz.Class}: expected {expected}{(fuzz.NoAnswerAllowed ? " or no answer" : string.Empty)}, got {Shown(response.Status)}" +
                        $"{(errors > 0 ? $" and {errors} log entries at Error" : string.Empty)}\n" +
                        $"    answer: {Cut(response.Body, 300)}\n" +
                        string.Concat(logged.Select(e => $"    log: {Cut(e.ToString(), 400)}\n")) +
                        $"    input:\n    {fuzz.Request.Describe()}");
                }
            }
        }

        int errorLogs = host.Logs.ErrorCount - errorsAtStart;
        string summary =
            $"{group}: {count} inputs (seed {seed}); answers {string.Join(", ", statuses.Select(s => $"{Shown(s.Key)}×{s.Value}"))}; " +
            $"5xx: {serverErrors}; log entries at Error: {errorLogs}; failed checks: {failed}; classes {string.Join(", ", classes.Select(c => $"{c.Key}×{c.Value}"))}";
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("LIVECLOUD_FUZZ_REPORT") is { Length: > 0 } report)
        {
            await File.AppendAllTextAsync(report, summary + "\n");
        }

        if (failed > 0 || errorLogs > 0)
        {
            var message = new StringBuilder(summary).Append('\n');
            message.Append(CultureInfo.InvariantCulture, $"{failed} of {count} inputs failed; the first {failures.Count}:\n");
            failures.ForEach(f => message.Append(f).Append('\n'));
            Assert.Fail(message.ToString());
        }
    }

    private static string Shown(int status) => status switch { 0 => "closed", -1 => "no answer in 20 s", _ => status.ToString(CultureInfo.InvariantCulture) };

    private static string Cut(string text, int max) => text.Length <= max ? text.Replace("\n", " ", StringComparison.Ordinal) : text[..max].Replace("\n", " ", StringComparison.Ordinal) + "…";
}
