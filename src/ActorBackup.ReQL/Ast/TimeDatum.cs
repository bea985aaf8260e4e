using System.Globalization;
using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// A point in time as the TIME pseudo-type, <c>{"$reql_type$":"TIME","epoch_time":1483326245.678,"timezone":"+01:00"}</c>.
/// The server keeps milliseconds; the offset is kept so the value reads back in the same timezone.
/// </summary>
public sealed class TimeDatum : ReqlExpr
{
    internal TimeDatum(DateTimeOffset value) => Value = value;

    public DateTimeOffset Value { get; }

    /// <summary>UTC and Unspecified values are taken as UTC (the ledger's timestamps are UTC); Local ones carry the local offset.</summary>
    internal static TimeDatum From(DateTime value) => new(value.Kind == DateTimeKind.Local
        ? new DateTimeOffset(value)
        : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("$reql_type$"u8, "TIME"u8);
        // Decimal division of whole ticks is exact, so 1483326245.678 is written as such and not as a binary double.
        var ticks = Value.UtcTicks - DateTime.UnixEpoch.Ticks;
        writer.WriteNumber("epoch_time"u8, ticks / (decimal)TimeSpan.TicksPerSecond);
        writer.WriteString("timezone"u8, FormatOffset(Value.Offset));
        writer.WriteEndObject();
    }

    private static string FormatOffset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}:{abs.Minutes:00}");
    }
}
