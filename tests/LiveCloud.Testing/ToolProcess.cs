using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LiveCloud.Testing;

/// <summary>
/// A child process (ffmpeg, ffprobe) with captured output, always killed on dispose: the real pushes and
/// probes the nginx, live-rooms and CLI tests make. A missing tool skips the test (fails under CI): see <see cref="RealParts"/>.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolProcess(string tool, IEnumerable<string> args, Action<string>? onOutputLine = null)
    {
        var start = new ProcessStartInfo(Require(tool)) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            Append(_stdout, e.Data);
            if (e.Data is { } line)
            {
                onOutputLine?.Invoke(line);
            }
        };
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What it wrote to standard output.</summary>
    public string Output { get { lock (_stdout) { return _stdout.ToString(); } } }

    /// <summary>What it wrote to standard error.</summary>
    public string Errors { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>The full path of a tool on PATH or in the usual sbin folders, or <see langword="null"/>.</summary>
    public static string? Find(string name)
    {
        IEnumerable<string> dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin"]);
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>The full path of a tool; when it is missing, skips the test (fails under CI) with the reason.</summary>
    public static string Require(string name)
    {
        RealParts.Require(name);
        return Find(name)!;
    }

    /// <summary>Pushes a synthetic 320x240 test pattern (yuv420p, which browsers decode) with a sine tone for <paramref name="seconds"/> seconds.</summary>
    public static ToolProcess Push(string url, int seconds) => new("ffmpeg",
    [
        "-hide_banner", "-loglevel", "error", "-nostdin",
        "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-t", seconds.ToString(CultureInfo.InvariantCulture), "-f", "flv", url,
    ]);

    /// <summary>
    /// Reads <paramref name="url"/> as a player would (copying, into nothing) for as long as it plays, reporting ffmpeg's
    /// progress lines (<c>out_time_us=…</c> every quarter second) to <paramref name="onProgressLine"/>; a read stalled for
    /// <paramref name="ioTimeoutSeconds"/> fails.
    /// </summary>
    public static ToolProcess Read(string url, Action<string> onProgressLine, int ioTimeoutSeconds = 3) => new(
        "ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-rw_timeout", (ioTimeoutSeconds * 1_000_000L).ToString(CultureInfo.InvariantCulture),
            "-i", url, "-map", "0", "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-stats_period", "0.25",
        ],
        onProgressLine);

    /// <summary>ffprobe of <paramref name="url"/> with extra arguments (e.g. <c>-show_entries format=duration</c>).</summary>
    public static ToolProcess Probe(string url, params string[] extra) => new("ffprobe",
        ["-v", "error", "-rw_timeout", "10000000", .. extra, url]);

    /// <summary>ffprobe printing the container duration in seconds.</summary>
    public static ToolProcess ProbeDuration(string url) => Probe(url, "-show_entries", "format=duration", "-of", "csv=p=0");

    /// <summary>Waits for the exit (bounded) and returns the exit code; kills and fails when the bound passes.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan bound)
    {
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {bound}. stderr: {Errors}");
        }

        _process.WaitForExit(); // flushes the async output readers
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.AppendLine(line);
        }
    }
}

/// <summary>Polling with a generous bound, instead of timed assertions.</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(condition);
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for: {what}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls a synchronous <paramref name="condition"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, int seconds = 30) =>
        UntilAsync(() => Task.FromResult(condition()), what, seconds);
}
