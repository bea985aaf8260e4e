using System.Globalization;

namespace ActorBackup.Cluster.Settings;

/// <summary>A "host:port" endpoint as written in the configuration.</summary>
public sealed record HostPort(string Host, int Port)
{
    /// <summary>Parses "host:port" (IPv6 hosts in brackets), or returns null with the reason.</summary>
    public static HostPort? TryParse(string text, out string? error)
    {
        error = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = "expected \"host:port\"";
            return null;
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            error = "the host is empty or contains spaces";
            return null;
        }
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = "the port must be a number from 1 to 65535";
            return null;
        }
        return new HostPort(host, port);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
