using System.Globalization;
using Akka.Configuration;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// Reads typed values under one HOCON root and turns every wrong type or range into a
/// <see cref="BackupSettingsException"/> naming the full key, so an operator knows what to fix.
/// </summary>
internal sealed class SettingsReader(Config config, string root)
{
    public string Key(string path) => $"{root}.{path}";

    public string String(string path, bool allowEmpty = false)
    {
        var value = Read(path, "a string", () => config.GetString(path, null));
        if (value is null) throw Missing(path);
        if (!allowEmpty && value.Trim().Length == 0)
            throw new BackupSettingsException($"{Key(path)} must not be empty.");
        return value.Trim();
    }

    public IReadOnlyList<string> StringList(string path)
    {
        if (!config.HasPath(path)) throw Missing(path);
        const string expected = "a list of strings such as [\"a\", \"b\"]";
        if (config.GetValue(path).IsString())
            throw new BackupSettingsException($"{Key(path)} must be {expected} (got \"{config.GetString(path)}\").");
        var list = Read(path, expected, () => config.GetStringList(path));
        return list.Select(s => s.Trim()).ToArray();
    }

    public int Int(string path, int min, int max)
    {
        if (!config.HasPath(path)) throw Missing(path);
        var raw = config.GetString(path, null);
        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new BackupSettingsException($"{Key(path)} must be an integer from {min} to {max} (got \"{raw}\").");
        if (value < min)
            throw new BackupSettingsException($"{Key(path)} must be at least {min} (got {value}).");
        if (value > max)
            throw new BackupSettingsException($"{Key(path)} must be at most {max} (got {value}).");
        return (int)value;
    }

    public bool Bool(string path)
    {
        if (!config.HasPath(path)) throw Missing(path);
        var raw = config.GetString(path, null);
        return raw?.Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new BackupSettingsException($"{Key(path)} must be on or off (got \"{raw}\")."),
        };
    }

    public double Double(string path, double min, double max)
    {
        if (!config.HasPath(path)) throw Missing(path);
        var raw = config.GetString(path, null);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            throw new BackupSettingsException($"{Key(path)} must be a number from {min} to {max} (got \"{raw}\").");
        if (value < min || value > max)
            throw new BackupSettingsException($"{Key(path)} must be from {min} to {max} (got {raw}).");
        return value;
    }

    public TimeSpan Duration(string path, TimeSpan min, TimeSpan max)
    {
        if (!config.HasPath(path)) throw Missing(path);
        var raw = config.GetString(path, null);
        var value = Read(path, "a duration such as 30s or 5m", () => config.GetTimeSpan(path, null, allowInfinite: false));
        if (value < min)
            throw new BackupSettingsException($"{Key(path)} must be at least {Show(min)} (got {raw}).");
        if (value > max)
            throw new BackupSettingsException($"{Key(path)} must be at most {Show(max)} (got {raw}).");
        return value;
    }

    public long Size(string path, long min, long max)
    {
        if (!config.HasPath(path)) throw Missing(path);
        var raw = config.GetString(path, null);
        var value = Read(path, "a size such as 512KiB or 1MiB", () => config.GetByteSize(path))
            ?? throw new BackupSettingsException($"{Key(path)} must be a size such as 512KiB or 1MiB (got \"{raw}\").");
        if (value < min || value > max)
            throw new BackupSettingsException($"{Key(path)} must be from {min} to {max} bytes (got {raw}).");
        return value;
    }

    private T Read<T>(string path, string expected, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not BackupSettingsException)
        {
            throw new BackupSettingsException($"{Key(path)} must be {expected} (got \"{Describe(path)}\").");
        }
    }

    private string Describe(string path)
    {
        try
        {
            return config.GetValue(path)?.ToString() ?? "";
        }
        catch (Exception e) when (e is not BackupSettingsException)
        {
            return "unreadable value";
        }
    }

    private BackupSettingsException Missing(string path) =>
        new($"{Key(path)} is missing: set it or keep the default from reference.conf.");

    /// <summary>A duration as an operator writes it, e.g. "500ms", "5s", "2m".</summary>
    public static string Show(TimeSpan t) =>
        t.TotalMilliseconds < 1000 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.###}s"
        : t.TotalMinutes < 60 ? $"{t.TotalMinutes:0.###}m"
        : t.TotalHours < 24 ? $"{t.TotalHours:0.###}h"
        : $"{t.TotalDays:0.###}d";
}
