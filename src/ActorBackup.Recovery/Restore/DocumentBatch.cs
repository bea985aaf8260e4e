using System.Text.Json;

namespace ActorBackup.Recovery.Restore;

/// <summary>Documents of one table inserted by one query.</summary>
internal sealed record DocumentBatch(TableRun Table, JsonElement[] Documents, long Bytes);
