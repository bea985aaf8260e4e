using System.Diagnostics;

namespace ActorBackup.Testing.Network;

/// <summary>
/// One network namespace of an <see cref="IsolatedNetwork"/>: its own interfaces, ports and filter rules, joined to
/// the bridge by a veth pair. Processes started in it reach the host at <see cref="IsolatedNetwork.HostAddress"/>.
/// </summary>
/// <param name="Name">The namespace name, as `ip netns` lists it.</param>
/// <param name="Address">Its IPv4 address on the bridge.</param>
public sealed record NetworkNamespace(string Name, string Address)
{
    /// <summary>How to start <paramref name="program"/> inside this namespace (`ip netns exec` execs it, so the process id is the program's).</summary>
    public ProcessStartInfo StartInfo(string program, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo("ip") { WorkingDirectory = workingDirectory };
        foreach (var a in new[] { "netns", "exec", Name, program }.Concat(args))
            start.ArgumentList.Add(a);
        return start;
    }
}
