using System.Security.Cryptography;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Settings;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>The record index of a node that encrypts its data at rest: ids are sealed in the file.</summary>
public sealed class ReplicaIndexWithSealedIdsSpec : ReplicaIndexSpec
{
    private static readonly byte[] FirstKey = RandomNumberGenerator.GetBytes(KeyRing.KeyBytes);
    private static readonly byte[] SecondKey = RandomNumberGenerator.GetBytes(KeyRing.KeyBytes);

    protected override KeyRing? Keys => new([FirstKey]);

    private byte[] FileBytes()
    {
        SqliteConnection.ClearAllPools();
        return Directory.EnumerateFiles(_directory, "index.sqlite*").SelectMany(System.IO.File.ReadAllBytes).ToArray();
    }

    /// <summary>The file's settings and row counts.</summary>
    private string Rows()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT group_concat(name || '=' || value) FROM settings) || ' stored ' || (SELECT count(*) FROM stored_rows)
              || ' keys ' || (SELECT count(*) FROM stored_row_ids) || ' progress ' || (SELECT group_concat(seq) FROM progress)
            """;
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>Ids as text, and for the hex parts the bytes they spell.</summary>
    private static IEnumerable<byte[]> Needles(IEnumerable<string> ids) => ids.SelectMany(id => new[]
    {
        System.Text.Encoding.ASCII.GetBytes(id),
        System.Text.Encoding.ASCII.GetBytes(id[9..]),
        Convert.FromHexString(id.Replace("-", "", StringComparison.Ordinal)[8..]),
    });

    [Fact]
    public void No_id_can_be_read_from_the_file_and_the_same_ids_in_clear_can()
    {
        var ids = Enumerable.Range(0, 300).Select(IdOf).ToList();
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 300));
            index.Flush();
        }
        Assert.DoesNotContain(Needles(ids), n => FileBytes().AsSpan().IndexOf(n) >= 0);

        var clear = Path.Combine(_directory, "clear", "index.sqlite");
        using (var index = ReplicaIndex.Open(clear, Replica, ReferenceSettings.Defaults.RecordIndex, null))
        {
            index.Apply(1, Stored(0, 300));
            index.Flush();
        }
        SqliteConnection.ClearAllPools();
        var clearBytes = Directory.EnumerateFiles(Path.GetDirectoryName(clear)!).SelectMany(System.IO.File.ReadAllBytes).ToArray();
        Assert.All(ids, id => Assert.True(clearBytes.AsSpan().IndexOf(Convert.FromHexString(id.Replace("-", "", StringComparison.Ordinal))) >= 0, id));
    }

    [Fact]
    public void A_ledger_id_sealed_takes_fewer_bytes_than_in_clear_and_the_same_id_seals_the_same()
    {
        var ids = IndexIds.For(Keys);
        var blockId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        var sealedId = Assert.IsType<byte[]>(ids.Write(blockId));

        Assert.True(sealedId.Length < blockId.Length, $"{sealedId.Length} bytes");
        Assert.Equal(sealedId, ids.Write(blockId));
        Assert.NotEqual(sealedId, IndexIds.For(new KeyRing([SecondKey])).Write(blockId));
    }

    [Fact]
    public void A_file_with_ids_in_clear_opened_by_a_node_that_encrypts_is_emptied_to_be_rebuilt_from_the_journal()
    {
        using (var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex, null))
        {
            index.Apply(7, Stored(0, 20));
            index.Flush();
        }

        var prepared = ReplicaIndex.Prepare(File, Keys);

        Assert.True(prepared.EmptiedForSealedIds);
        using var reopened = Open();
        Assert.Equal(0, reopened.IndexedUpTo);
        Assert.Empty(reopened.FindStored(Enumerable.Range(0, 20).Select(IdOf)));
        reopened.Apply(7, Stored(0, 20));
        reopened.Flush();
        Assert.Equal(20, reopened.FindStored(Enumerable.Range(0, 20).Select(IdOf)).Count);
        Assert.False(ReplicaIndex.Prepare(File, Keys).EmptiedForSealedIds);
    }

    [Fact]
    public void A_file_with_ids_in_clear_keeps_none_of_them_once_prepared_for_sealed_ids_nor_after_the_rebuild()
    {
        var ids = Enumerable.Range(0, 300).Select(IdOf).ToList();
        using (var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex, null))
        {
            index.Apply(1, Stored(0, 300));
            index.Flush();
        }
        Assert.Contains(Needles(ids), n => FileBytes().AsSpan().IndexOf(n) >= 0);

        Assert.True(ReplicaIndex.Prepare(File, Keys).EmptiedForSealedIds);

        Assert.DoesNotContain(Needles(ids), n => FileBytes().AsSpan().IndexOf(n) >= 0);
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 300));
            index.Flush();
        }
        Assert.DoesNotContain(Needles(ids), n => FileBytes().AsSpan().IndexOf(n) >= 0);
    }

    [Fact]
    public void A_key_added_later_leaves_the_file_readable_with_the_key_it_was_sealed_with()
    {
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 20));
            index.Flush();
        }

        using var rotated = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex, new KeyRing([FirstKey, SecondKey]));

        Assert.Equal(20, rotated.FindStored(Enumerable.Range(0, 20).Select(IdOf)).Count);
        Assert.Equal(20, new StoredIdReader(File, new KeyRing([FirstKey, SecondKey])).TallyIn(Replica, null, null).Records);
    }

    [Fact]
    public void Without_the_key_the_file_was_sealed_with_opening_fails_with_one_line_and_changes_nothing()
    {
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 20));
            index.Flush();
        }
        var before = Rows();
        var keyId = KeyRing.Show(KeyRing.IdOf(FirstKey));

        var none = Assert.Throws<BackupSettingsException>(() => ReplicaIndex.Prepare(File, null));
        var other = Assert.Throws<BackupSettingsException>(() => ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex, new KeyRing([SecondKey])));
        var reader = Assert.Throws<BackupSettingsException>(() => new StoredIdReader(File, null).TallyIn(Replica, null, null).Records);

        Assert.Equal($"The record index {File} holds ids sealed with key {keyId} and no actorbackup.encryption.key-file is set.", none.Message);
        Assert.Equal($"The record index {File} holds ids sealed with key {keyId}, which the key file does not hold.", other.Message);
        Assert.Equal(none.Message, reader.Message);
        Assert.Equal(before, Rows());
        using var again = Open();
        Assert.Equal(20, again.FindStored(Enumerable.Range(0, 20).Select(IdOf)).Count);
    }
}
