using System.Text.Json;

namespace ActorBackup.Recovery.Archive;

/// <summary>One document of a table, with its 0-based position in the table's data member.</summary>
public readonly record struct ArchiveDocument(ArchiveTable Table, long Index, JsonElement Document);
