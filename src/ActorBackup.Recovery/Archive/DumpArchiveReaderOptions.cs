namespace ActorBackup.Recovery.Archive;

/// <summary>Limits applied while reading an archive; defaults are those of <c>rethinkdb import</c>.</summary>
public sealed record DumpArchiveReaderOptions
{
    /// <summary>Largest single document, in bytes of JSON text (import's --max-document-size default, 128 MiB).</summary>
    public int MaxDocumentBytes { get; init; } = 128 << 20;

    /// <summary>Deepest nesting of arrays and objects inside one document (import's --max-nesting-depth default).</summary>
    public int MaxNestingDepth { get; init; } = 100;

    /// <summary>Largest <c>.info</c> member.</summary>
    public int MaxInfoBytes { get; init; } = 16 << 20;
}
