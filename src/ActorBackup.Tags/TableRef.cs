namespace ActorBackup.Tags;

/// <summary>A table by database and name, shown as <c>db.table</c>.</summary>
public readonly record struct TableRef(string Db, string Name)
{
    public override string ToString() => $"{Db}.{Name}";
}
