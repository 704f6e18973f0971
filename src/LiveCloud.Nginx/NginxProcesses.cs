using System.Diagnostics;
using System.Globalization;

namespace LiveCloud.Nginx;

/// <summary>
/// How <see cref="NginxRtmpServer"/> and the relays start their child processes so that none outlives this process (the
/// watchdog), and what the server reads about processes from Linux's <c>/proc</c>: whether a pid is an nginx of its
/// work directory, the master's workers, and who listens on a port. Elsewhere (no <c>/proc</c>) every answer is
/// "unknown" and the server only does what needs no such knowledge.
/// </summary>
internal static class NginxProcesses
{
    private const string ChildLine = "livecloud-watchdog-child ";

    // sh -c WATCHDOG livecloud-watchdog GRACE OUTPUT COMMAND ARGS…: starts COMMAND with its output in the file OUTPUT (or,
    // for "-", on the watchdog's own standard output and error), prints its pid, stops it when standard input reaches
    // end-of-file (this process is gone, or closed the pipe), and exits with its status (128 + N for signal N) once its
    // helper is gone too, so that nothing of it is left when this process sees it exit. The shell's own messages
    // ("Terminated" for the helper) go nowhere: the command's standard error is the command's alone.
    private const string Watchdog = """
        exec 3<&0 0</dev/null
        grace=$1
        out=$2
        shift 2
        if [ "$out" = - ]; then "$@" 3<&- & else "$@" 3<&- >"$out" 2>&1 & fi
        n=$!
        echo "livecloud-watchdog-child $n"
        (
          while read -r _ <&3; do :; done
          kill -TERM "$n"
          i=0
          while [ "$i" -lt "$grace" ] && kill -0 "$n"; do sleep 1; i=$((i + 1)); done
          kill -KILL "$n"
        ) >/dev/null 2>&1 &
        w=$!
        exec 3<&- 2>/dev/null
        wait "$n"
        code=$?
        kill "$w"
        wait "$w"
        exit "$code"
        """;

    /// <summary>
    /// How to start <paramref name="command"/> (the executable, then its arguments) so that it never outlives this process.
    /// .NET cannot ask the kernel to signal a child when its parent dies, so on Unix the command runs under a small
    /// <c>sh</c> watchdog in its own session (<c>setsid</c>: a terminal's Ctrl+C reaches only this process). The watchdog's
    /// standard input is a pipe only this process holds (keep <see cref="Process.StandardInput"/> open): the kernel closes
    /// it when this process exits in any way, SIGKILL included, and closing it on purpose does the same; the watchdog then
    /// stops the command (SIGTERM, SIGKILL after <paramref name="grace"/>) and exits with its status. The watchdog's first
    /// line of standard output names the command's pid (<see cref="TryReadChildLine"/>). Without <c>/bin/sh</c> (Windows)
    /// the command itself is started, <paramref name="watched"/> is <see langword="false"/> and only disposing stops it.
    /// </summary>
    /// <param name="command">The executable (a full path) and its arguments.</param>
    /// <param name="outputPath">The file the command's output goes to; <see langword="null"/> to read it from the process's standard output and error.</param>
    /// <param name="grace">How long the command may take to stop after SIGTERM.</param>
    /// <param name="workingDirectory">The command's working directory.</param>
    /// <param name="watched">Whether the watchdog runs it.</param>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> command, string? outputPath, TimeSpan grace, string workingDirectory, out bool watched)
    {
        watched = File.Exists("/bin/sh");
        if (!watched)
        {
            var direct = new ProcessStartInfo(command[0])
            {
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = outputPath is null,
                RedirectStandardError = outputPath is null,
            };
            foreach (string arg in command.Skip(1))
            {
                direct.ArgumentList.Add(arg);
            }

            return direct;
        }

        string? setsid = NginxRtmpServer.ResolveExecutable("setsid");
        var start = new ProcessStartInfo(setsid ?? "/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // the watchdog's lifeline
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        string seconds = Math.Max(1, (int)Math.Ceiling(grace.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        foreach (string arg in (string[])["-c", Watchdog, "livecloud-watchdog", seconds, outputPath ?? "-", .. command])
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Whether <paramref name="line"/> is the watchdog's line naming the command's pid, and that pid.</summary>
    public static bool TryReadChildLine(string? line, out int pid)
    {
        pid = 0;
        return line is not null && line.StartsWith(ChildLine, StringComparison.Ordinal)
            && int.TryParse(line.AsSpan(ChildLine.Length), NumberStyles.None, CultureInfo.InvariantCulture, out pid);
    }
    /// <summary>Whether <c>/proc</c> can be read.</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>
    /// The name the kernel gives a process started from <paramref name="executable"/> (<c>/proc/PID/comm</c>: the file
    /// name cut to 15 characters); nginx's "master process …" titles change the command line, not this.
    /// </summary>
    public static string CommandName(string executable)
    {
        string name = Path.GetFileName(executable);
        return name.Length > 15 ? name[..15] : name;
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is a live nginx of this work directory: named <paramref name="comm"/>, and either
    /// started with <paramref name="configPath"/> (the master's title keeps its command line) or running in
    /// <paramref name="workDirectory"/> (its workers, which the server starts there).
    /// </summary>
    public static bool IsOurs(int pid, string comm, string configPath, string workDirectory)
    {
        if (!Supported || Stat(pid) is not { } stat || stat.Comm != comm || stat.State is 'Z' or 'X')
        {
            return false;
        }

        return Read($"/proc/{pid}/cmdline")?.Replace('\0', ' ').Contains(configPath, StringComparison.Ordinal) == true
            || string.Equals(CurrentDirectory(pid), workDirectory, StringComparison.Ordinal);
    }

    /// <summary>Every live nginx of this work directory (see <see cref="IsOurs"/>), masters and workers.</summary>
    public static IReadOnlyList<int> Find(string comm, string configPath, string workDirectory) =>
        [.. Pids().Where(pid => IsOurs(pid, comm, configPath, workDirectory))];

    /// <summary>Whether <paramref name="pid"/> runs (a zombie does not).</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { State: not ('Z' or 'X') };

    /// <summary>
    /// The live worker processes of the nginx master <paramref name="pid"/> (children named <paramref name="comm"/> titled
    /// "nginx: worker process", not its cache manager or loader), lowest pid first.
    /// </summary>
    public static IReadOnlyList<int> Workers(int pid, string comm)
    {
        if (!Supported)
        {
            return [];
        }

        // The kernel's own list when it keeps one (CONFIG_PROC_CHILDREN), else every process's parent.
        IEnumerable<int> candidates = Read($"/proc/{pid}/task/{pid}/children") is { } list
            ? list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : 0)
            : Pids().Where(p => Stat(p)?.ParentId == pid);
        return [.. candidates.Where(c => Stat(c) is { } s && s.ParentId == pid && s.Comm == comm && s.State is not ('Z' or 'X')
            && Read($"/proc/{c}/cmdline")?.Contains("worker process", StringComparison.Ordinal) == true).Order()];
    }

    /// <summary>
    /// Who listens on TCP <paramref name="port"/> (any address), as <c>pid 1234 (python3)</c>; <see langword="null"/> when
    /// nobody this process can see does.
    /// </summary>
    public static string? ListenerOn(int port)
    {
        if (!Supported)
        {
            return null;
        }

        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode": local "0100007F:0793", st 0A = LISTEN.
            foreach (string line in (Read(table) ?? string.Empty).Split('\n').Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == "0A" && f[1].LastIndexOf(':') is int colon and > 0
                    && int.TryParse(f[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int p) && p == port)
                {
                    inodes.Add("socket:[" + f[9] + "]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (int pid in Pids())
        {
            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                    {
                        return $"pid {pid.ToString(CultureInfo.InvariantCulture)} ({Stat(pid)?.Comm ?? "?"})";
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or gone meanwhile.
            }
        }

        return "a process this one cannot see";
    }

    private static IEnumerable<int> Pids()
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                yield return pid;
            }
        }
    }

    // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so read up to the last ')'.
    private static (string Comm, char State, int ParentId)? Stat(int pid)
    {
        string? stat = Read($"/proc/{pid}/stat");
        int open = stat?.IndexOf('(', StringComparison.Ordinal) ?? -1;
        int close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || open < 0 || close < open || close + 2 >= stat.Length)
        {
            return null;
        }

        string[] rest = stat[(close + 2)..].Split(' ', 3);
        return rest.Length >= 2 && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            ? (stat[(open + 1)..close], rest[0][0], parent)
            : null;
    }

    private static string? CurrentDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget is { } target ? Path.TrimEndingDirectorySeparator(target) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
