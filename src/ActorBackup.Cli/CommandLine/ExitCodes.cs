namespace ActorBackup.Cli.CommandLine;

/// <summary>The exit codes every verb uses (documented in the README and in `actorbackup --help`).</summary>
public static class ExitCodes
{
    /// <summary>The work was done and every check passed.</summary>
    public const int Ok = 0;

    /// <summary>The work failed: a source, a target, a file or the cluster was not usable.</summary>
    public const int Failure = 1;

    /// <summary>The command line or a configuration file is wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The work ran, but a verification found a problem (missing, corrupt or quarantined data).</summary>
    public const int VerificationFailed = 3;

    /// <summary>Interrupted by the operator (Ctrl-C).</summary>
    public const int Interrupted = 130;
}
