namespace ActorBackup.Bench;

/// <summary>One benchmark: measures ours and its reference in the same run and prints both with their ratio.</summary>
public interface IBenchmark
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured against what.</summary>
    string Description { get; }

    Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken);
}
