using System.Globalization;

namespace LiveCloud.Nginx;

/// <summary>
/// What <see cref="NginxRtmpServer"/> reads about processes from Linux's <c>/proc</c>: whether a pid is an nginx of its
/// work directory, the master's workers, and who listens on a port. Elsewhere (no <c>/proc</c>) every answer is
/// "unknown" and the server only does what needs no such knowledge.
/// </summary>
internal static class NginxProcesses
{
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
