namespace ActorBackup.Recovery.Archive;

/// <summary>
/// A tar member name checked the way <c>rethinkdb restore</c> checks it: leading slashes and <c>.</c> components
/// dropped, exactly <c>top/db/table.ext</c> after that. Unlike restore, which silently skips names escaping the
/// folder, an escape is refused: an archive holding one was not made by a dump tool.
/// </summary>
internal readonly record struct MemberPath(string Top, string Db, string Table, string Extension)
{
    /// <summary>The path, or null for a member that is not a data or metadata file (ignored, as restore does).</summary>
    public static MemberPath? Parse(string name)
    {
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new ArchiveFormatException($"{name}: the path escapes the archive folder ('..')");
        var file = parts.Count > 0 ? parts[^1] : "";
        var extension = Path.GetExtension(file);
        if (extension is not (".json" or ".info" or ".csv"))
            return null;
        if (parts.Count != 3)
            throw new ArchiveFormatException($"{name}: unexpected directory structure: expected 3 path components (dump folder/db/table{extension}), found {parts.Count}");
        if (extension == ".csv")
            throw new ArchiveFormatException($"{name}: CSV data members are not supported (only the JSON that rethinkdb dump writes)");
        var table = file[..^extension.Length];
        if (!DumpArchiveWriter.IsValidName(parts[1]) || !DumpArchiveWriter.IsValidName(table))
            throw new ArchiveFormatException($"{name}: '{parts[1]}.{table}' is not a valid RethinkDB db.table name");
        return new MemberPath(parts[0], parts[1], table, extension);
    }
}
