using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Tests.Reading;

public sealed class RecordBatchingSpec
{
    private static CapturedRecord Sized(int n, int bytes) => new("votes", $"id-{n}", n, new byte[bytes], RecordVerdict.Verified);

    [Fact]
    public void Batches_are_cut_at_the_record_limit_and_keep_the_order()
    {
        var records = Enumerable.Range(0, 7).Select(i => Sized(i, 10)).ToArray();

        var batches = RecordBatching.Cut(records, maxRecords: 3, maxBytes: 1000).ToArray();

        Assert.Equal([3, 3, 1], batches.Select(b => b.Count));
        Assert.Equal(records, batches.SelectMany(b => b));
    }

    [Fact]
    public void Batches_are_cut_before_the_byte_limit_is_passed()
    {
        var records = new[] { Sized(0, 40), Sized(1, 40), Sized(2, 40), Sized(3, 100) };

        var batches = RecordBatching.Cut(records, maxRecords: 100, maxBytes: 100).ToArray();

        Assert.Equal([[0, 1], [2], [3]], batches.Select(b => b.Select(r => (int)r.Timestamp).ToArray()));
    }

    [Fact]
    public void A_record_larger_than_the_byte_limit_forms_a_batch_of_its_own()
    {
        var batches = RecordBatching.Cut([Sized(0, 5), Sized(1, 500), Sized(2, 5)], maxRecords: 100, maxBytes: 100).ToArray();

        Assert.Equal([1, 1, 1], batches.Select(b => b.Count));
    }

    [Fact]
    public void No_records_make_no_batch() => Assert.Empty(RecordBatching.Cut([], 10, 10));
}
