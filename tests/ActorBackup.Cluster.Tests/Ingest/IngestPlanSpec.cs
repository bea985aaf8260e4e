using System.Text;
using ActorBackup.Cluster.Ingest;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Tests.Ingest;

public sealed class IngestPlanSpec
{
    private static readonly KeySpace Keys = new(8);

    private static LedgerValidator Validator()
    {
        using var simulator = new FederationSimulator(new SimulationOptions(Node.TestNodeFiles.FederationSeed, Nodes: 3));
        return new LedgerValidator(simulator.Federation);
    }

    [Fact]
    public void Genuine_records_are_verified_and_each_goes_to_the_shard_of_its_id()
    {
        var votes = ImportDocuments.Ledger(6).Where(d => d.Table == "votes").ToArray();

        var writes = IngestPlan.Build("votes", votes.Select(v => (ReadOnlyMemory<byte>)v.Json), Keys, Validator());

        Assert.Equal(votes.Length, writes.Sum(w => w.Verified.Count));
        Assert.All(writes, w => Assert.Empty(w.Quarantined));
        Assert.All(writes, w => Assert.All(w.Verified, r => Assert.Equal(w.Replica.Shard, Keys.ShardOf(r.Id))));
        Assert.Equal(writes.Select(w => w.Replica.Shard).Order(), writes.Select(w => w.Replica.Shard));
    }

    [Fact]
    public void Forged_and_malformed_documents_are_quarantined_with_their_reasons()
    {
        var ledger = ImportDocuments.Ledger(3);
        var documents = new[] { ImportDocuments.Forged(ledger), "not json at all"u8.ToArray(), """{"id":7}"""u8.ToArray() };

        var writes = IngestPlan.Build("bigchain", documents.Select(d => (ReadOnlyMemory<byte>)d), Keys, Validator());

        var quarantined = writes.SelectMany(w => w.Quarantined).ToArray();
        Assert.Empty(writes.SelectMany(w => w.Verified));
        Assert.Equal(3, quarantined.Length);
        Assert.Contains(quarantined, q => q.ReasonCode == "signature-mismatch");
        Assert.Equal(2, quarantined.Count(q => q.ReasonCode == "unusable-id"));
        Assert.All(quarantined, q => Assert.Equal(writes.Single(w => w.Quarantined.Contains(q)).Replica.Shard, Keys.ShardOf(q.Record.Id)));
        Assert.Equal("not json at all", Encoding.UTF8.GetString(quarantined.Single(q => q.Record.Json.Span[0] == (byte)'n').Record.Json.Span));
    }

    [Fact]
    public void A_table_that_is_not_captured_is_refused()
    {
        Assert.Throws<ArgumentException>(() => IngestPlan.Build("backlog", [], Keys, Validator()));
    }
}
