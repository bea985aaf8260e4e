namespace ActorBackup.Ledger.Audit;

internal enum AuditEntryKind : byte
{
    /// <summary>The block <see cref="AuditEntry.BlockId"/> itself.</summary>
    Block,
    /// <summary>A vote whose voting_for_block is <see cref="AuditEntry.BlockId"/>.</summary>
    VoteFor,
    /// <summary>A vote whose previous_block is <see cref="AuditEntry.BlockId"/>; it votes for <see cref="AuditEntry.VotingFor"/>.</summary>
    PreviousOf,
}

/// <summary>
/// One fact the audit joins on a block id. Voters are numbers from the audit's table of voter keys, so an entry
/// stays small on disk. <see cref="Sequence"/> is the position in the input, which keeps "the later vote" well
/// defined after sorting.
/// </summary>
internal readonly record struct AuditEntry(
    string BlockId,
    long Sequence,
    AuditEntryKind Kind,
    int Voter,
    string? VoteId,
    string? VotingFor,
    long Timestamp,
    int[]? Voters,
    bool IsGenesis)
{
    public static readonly IComparer<AuditEntry> ByBlockThenSequence = Comparer<AuditEntry>.Create((a, b) =>
    {
        var byBlock = string.CompareOrdinal(a.BlockId, b.BlockId);
        return byBlock != 0 ? byBlock : a.Sequence.CompareTo(b.Sequence);
    });

    public static void Write(BinaryWriter writer, AuditEntry entry)
    {
        writer.Write(entry.BlockId);
        writer.Write(entry.Sequence);
        writer.Write((byte)entry.Kind);
        writer.Write(entry.Voter);
        WriteOptional(writer, entry.VoteId);
        WriteOptional(writer, entry.VotingFor);
        writer.Write(entry.Timestamp);
        writer.Write(entry.Voters?.Length ?? -1);
        foreach (var voter in entry.Voters ?? [])
            writer.Write(voter);
        writer.Write(entry.IsGenesis);
    }

    public static AuditEntry Read(BinaryReader reader)
    {
        var blockId = reader.ReadString();
        var sequence = reader.ReadInt64();
        var kind = (AuditEntryKind)reader.ReadByte();
        var voter = reader.ReadInt32();
        var voteId = ReadOptional(reader);
        var votingFor = ReadOptional(reader);
        var timestamp = reader.ReadInt64();
        var count = reader.ReadInt32();
        int[]? voters = null;
        if (count >= 0)
        {
            voters = new int[count];
            for (var i = 0; i < count; i++)
                voters[i] = reader.ReadInt32();
        }
        return new AuditEntry(blockId, sequence, kind, voter, voteId, votingFor, timestamp, voters, reader.ReadBoolean());
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
            writer.Write(value);
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
