namespace ActorBackup.Tags.Applying;

/// <summary>A reconfigured table did not have every replica ready within the wait, or became unavailable while waiting.</summary>
public sealed class TableNotReadyException(TableRef table, int timeoutSeconds, string answer)
    : Exception($"{table} did not have every replica ready within {timeoutSeconds} s ({answer})");
