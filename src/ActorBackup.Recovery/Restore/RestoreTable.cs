using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// One table to restore: its metadata as the source reported it (name, primary key, indexes) and its documents,
/// enumerated once. <paramref name="ExpectedCount"/> is for progress display only.
/// </summary>
public sealed record RestoreTable(TableInfo Info, IAsyncEnumerable<JsonElement> Documents, long? ExpectedCount = null)
{
    public string Name => Info.Name;

    /// <summary>A table whose documents come as UTF-8 JSON text.</summary>
    public static RestoreTable FromUtf8(TableInfo info, IAsyncEnumerable<ReadOnlyMemory<byte>> documents, long? expectedCount = null) =>
        new(info, Parse(documents), expectedCount);

    private static async IAsyncEnumerable<JsonElement> Parse(IAsyncEnumerable<ReadOnlyMemory<byte>> documents,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var utf8 in documents.WithCancellation(ct))
            yield return JsonElement.Parse(utf8.Span);
    }
}
