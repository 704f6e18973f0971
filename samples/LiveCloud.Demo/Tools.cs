using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveCloud.Demo;

/// <summary>ffmpeg / ffprobe runs and free ports: the outside world the demo drives.</summary>
internal static class Tools
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts ffmpeg pushing a synthetic test pattern with a tone for <paramref name="seconds"/>.</summary>
    public static Process PushTestPattern(string url, int seconds)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[]
        {
            "-hide_banner", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "flv", url,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        // Drain the pipes so ffmpeg never blocks on a full buffer.
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    /// <summary>Runs ffprobe; returns its exit code and standard output.</summary>
    public static async Task<(int Code, string Output)> ProbeAsync(string target, string entries, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-v", "error", "-rw_timeout", "5000000", "-show_entries", entries, "-of", "default=nw=1:nk=1", target })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, (await output).Trim());
    }

    /// <summary>Waits for a process to exit within <paramref name="timeout"/>; kills it otherwise.</summary>
    public static async Task<int?> WaitAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
