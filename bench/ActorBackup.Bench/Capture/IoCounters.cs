using System.Globalization;

namespace ActorBackup.Bench.Capture;

/// <summary>
/// Bytes this process passed to write and read calls (files, sockets, pipes), from Linux's /proc/self/io; zeros
/// elsewhere. Capture writes almost only to its journal and index, so the difference over a run is their I/O.
/// </summary>
internal readonly record struct IoCounters(long Written, long Read)
{
    public static IoCounters Sample()
    {
        const string File = "/proc/self/io";
        if (!System.IO.File.Exists(File)) return default;
        long written = 0, read = 0;
        foreach (var line in System.IO.File.ReadLines(File))
        {
            var parts = line.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2) continue;
            if (parts[0] == "wchar") written = long.Parse(parts[1], CultureInfo.InvariantCulture);
            else if (parts[0] == "rchar") read = long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return new IoCounters(written, read);
    }

    public static IoCounters operator -(IoCounters a, IoCounters b) => new(a.Written - b.Written, a.Read - b.Read);
}
