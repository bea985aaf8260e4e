using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Ingest;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Ingest.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Node;
using Akka.Actor;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Ingest;

public sealed class OwnerWriterSpec() : DilatedTestKit("akka.loglevel = OFF")
{
    private static readonly IngestOptions Options =
        IngestOptions.From(BackupSettings.Create(ConfigurationFactory.ParseString("actorbackup { shards = 8, replicas = 1 }")))
            with { OwnerTimeout = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task An_owner_that_does_not_confirm_in_time_fails_the_write_as_retryable()
    {
        var votes = ImportDocuments.Ledger(2).Where(d => d.Table == "votes").ToArray();
        using var simulator = new Ledger.Simulation.FederationSimulator(new Ledger.Simulation.SimulationOptions(TestNodeFiles.FederationSeed, Nodes: 3));
        var write = IngestPlan.Build("votes", votes.Select(v => (ReadOnlyMemory<byte>)v.Json), Options.Keys, new Ledger.Validation.LedgerValidator(simulator.Federation))[0];
        var self = ((ExtendedActorSystem)Sys).Provider.DefaultAddress.ToString();

        var error = await Assert.ThrowsAsync<IngestException>(() => new OwnerWriter(Sys, Options).WriteAsync(write, [self]));

        Assert.True(error.Retryable);
        Assert.Equal($"replica {write.Replica} on {self} did not confirm within 0.3 s (not running there yet, or its journal is slow)", error.Message);
    }

    [Fact]
    public void A_node_without_federation_keys_refuses_imports_instead_of_storing_unverified_records()
    {
        var ingest = Sys.ActorOf(IngestActor.Props(Options, () => DateTimeOffset.UtcNow));

        ingest.Tell(new IngestRecords("votes", ["{}"u8.ToArray()]), TestActor);

        var failed = ExpectMsg<IngestFailed>();
        Assert.False(failed.Retryable);
        Assert.Equal("this node has no federation key file (actorbackup.federation-keys), so it cannot verify imported records", failed.Reason);
    }

    [Fact]
    public void A_node_that_has_never_measured_its_source_refuses_an_import_point_with_one_line()
    {
        using var simulator = new Ledger.Simulation.FederationSimulator(new Ledger.Simulation.SimulationOptions(TestNodeFiles.FederationSeed, Nodes: 3));
        var ingest = Sys.ActorOf(IngestActor.Props(Options with { Validator = new Ledger.Validation.LedgerValidator(simulator.Federation) }, () => null));

        ingest.Tell(new SetImportPoint("votes", Watermark.At(1_600_000_000), 1), TestActor);

        var failed = ExpectMsg<IngestFailed>();
        Assert.True(failed.Retryable);
        Assert.Equal(
            "no source has been measured by this node yet, so the source's time is unknown and no import point is set; try again once it reaches a source",
            failed.Reason);
    }
}
