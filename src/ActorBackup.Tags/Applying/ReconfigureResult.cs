using System.Text.Json;
using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags.Applying;

/// <summary>
/// What a table's <c>reconfigure</c> answered: <c>{reconfigured, config_changes: [{old_val, new_val}], status_changes}</c>,
/// with the configuration before and after (or as it would be after, for a dry run) as <c>table_config</c> rows.
/// </summary>
public sealed record ReconfigureResult(int Reconfigured, TableConfigRow Before, TableConfigRow After)
{
    public static ReconfigureResult Read(JsonElement answer, string origin)
    {
        var root = RowReader.Root(answer, origin);
        var reconfigured = root.Field("reconfigured");
        var count = reconfigured.Element.ValueKind == JsonValueKind.Number && reconfigured.Element.TryGetInt32(out var n) ? n : throw reconfigured.Invalid("must be a count");
        var changes = root.Field("config_changes").Items().ToList();
        if (changes.Count != 1)
            throw root.Field("config_changes").Invalid($"must hold one change for one table, not {changes.Count}");
        return new ReconfigureResult(count, TableConfigRow.Read(changes[0].Field("old_val")), TableConfigRow.Read(changes[0].Field("new_val")));
    }
}
