using System.Diagnostics;
using System.Text;

namespace LiveCloud.Nginx.Tests;

/// <summary>A child process (ffmpeg, ffprobe) with captured output, always killed on dispose.</summary>
internal sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolProcess(string tool, IEnumerable<string> args)
    {
        string path = NginxRtmpServer.ResolveExecutable(tool)
            ?? throw new InvalidOperationException($"{tool} was not found on PATH. Install it: apt-get install ffmpeg");
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Errors { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Pushes a synthetic 320x240 test pattern with a sine tone for <paramref name="seconds"/> seconds.</summary>
    public static ToolProcess Push(string url, int seconds) => new("ffmpeg",
    [
        "-hide_banner", "-loglevel", "error", "-nostdin",
        "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-c:a", "aac",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "flv", url,
    ]);

    public static ToolProcess Probe(string url, params string[] extra) => new("ffprobe",
        ["-v", "error", "-rw_timeout", "10000000", .. extra, url]);

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

internal static class Poll
{
    /// <summary>Polls <paramref name="condition"/> until it holds, failing after a generous bound.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
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

    public static Task UntilAsync(Func<bool> condition, string what, int seconds = 20) =>
        UntilAsync(() => Task.FromResult(condition()), what, seconds);
}
