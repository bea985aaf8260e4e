using ActorBackup.Ledger.Documents;

namespace ActorBackup.Recovery.Bundle.Assembly;

/// <summary>One document of one bundle, as the assembly sorts them: by table, then id, then bundle and position.</summary>
internal readonly record struct AssemblyEntry(RecordKind Kind, string Id, int Bundle, long Sequence, byte[] Json)
{
    public static readonly IComparer<AssemblyEntry> Order = Comparer<AssemblyEntry>.Create((a, b) =>
    {
        var c = a.Kind.CompareTo(b.Kind);
        if (c == 0) c = string.CompareOrdinal(a.Id, b.Id);
        if (c == 0) c = a.Bundle.CompareTo(b.Bundle);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    public static long SizeOf(AssemblyEntry entry) => entry.Json.Length + 2L * entry.Id.Length + 64;

    public static void Write(BinaryWriter writer, AssemblyEntry entry)
    {
        writer.Write((byte)entry.Kind);
        writer.Write(entry.Id);
        writer.Write(entry.Bundle);
        writer.Write(entry.Sequence);
        writer.Write(entry.Json.Length);
        writer.Write(entry.Json);
    }

    public static AssemblyEntry Read(BinaryReader reader) =>
        new((RecordKind)reader.ReadByte(), reader.ReadString(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadBytes(reader.ReadInt32()));
}
