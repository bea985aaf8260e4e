using System.Text.Json;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// The tables of a dump archive as <see cref="RestoreTable"/>s read in one pass over the archive: the tables come
/// in archive order and each one's documents continue where the previous table's ended, which is how
/// <see cref="RestoreEngine"/> enumerates them. Enumerating them out of order is an error.
/// </summary>
public static class ArchiveRestoreSource
{
    /// <param name="reader">An archive opened (and so validated) with <see cref="DumpArchiveReader.Open"/>.</param>
    /// <param name="include">Which tables to restore.</param>
    /// <param name="keep">Which documents of an included table to restore (all when null).</param>
    public static IReadOnlyList<RestoreTable> Tables(DumpArchiveReader reader, Func<ArchiveTable, bool> include,
        Func<ArchiveTable, JsonElement, bool>? keep = null)
    {
        var pass = new Pass(reader);
        return
        [
            .. reader.Tables.Where(include).Select(table =>
                new RestoreTable(table.Info, pass.DocumentsOf(table, keep), keep is null ? table.DocumentCount : null)),
        ];
    }

    /// <summary>The one enumeration of the archive that every table's documents are taken from.</summary>
    private sealed class Pass(DumpArchiveReader reader)
    {
        private readonly List<ArchiveTable> _order = [.. reader.Tables];
        private IEnumerator<ArchiveDocument>? _documents;
        private bool _hasCurrent;
        private bool _ended;
        private int _started = -1;

        public IAsyncEnumerable<JsonElement> DocumentsOf(ArchiveTable table, Func<ArchiveTable, JsonElement, bool>? keep) =>
            Enumerate(table, keep).ToAsyncEnumerable();

        private IEnumerable<JsonElement> Enumerate(ArchiveTable table, Func<ArchiveTable, JsonElement, bool>? keep)
        {
            var position = _order.IndexOf(table);
            if (position <= _started)
                throw new InvalidOperationException($"the tables of an archive are read once each, in archive order: {table.Info.Name} came after {_order[_started].Info.Name}");
            _started = position;
            while (Peek() is { } document)
            {
                var at = _order.IndexOf(document.Table);
                if (at > position)
                    break;
                _hasCurrent = false;
                if (at == position && (keep is null || keep(table, document.Document)))
                    yield return document.Document;
            }
        }

        private ArchiveDocument? Peek()
        {
            if (_hasCurrent)
                return _documents!.Current;
            if (_ended)
                return null;
            _documents ??= reader.ReadDocuments().GetEnumerator();
            if (!_documents.MoveNext())
            {
                _ended = true;
                _documents.Dispose();
                return null;
            }
            _hasCurrent = true;
            return _documents.Current;
        }
    }
}
