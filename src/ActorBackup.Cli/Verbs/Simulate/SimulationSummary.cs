using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>The end-of-run report, as text lines or as one JSON object (--json).</summary>
internal sealed record SimulationSummary(SimulateSettings Settings, SimulationTally Tally, bool Resumed, TimeSpan Elapsed, IReadOnlyList<string> Warnings)
{
    public void WriteText(TextWriter output)
    {
        var seconds = Elapsed.TotalSeconds;
        var rate = seconds > 0 ? Tally.Blocks / seconds : 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate: wrote blocks #{Tally.FirstBlock}..#{Tally.LastBlock} ({Tally.Blocks} blocks, {Tally.Votes} votes){(Resumed ? ", continuing the stored ledger," : "")} to {Settings.Endpoint} db {Settings.Database} in {seconds:0.00} s ({rate:0.0} blocks/s)"));
        output.WriteLine($"simulate: faults injected: {Tally.InvalidVotes} invalid votes, {Tally.MissingVotes} missing votes, {Tally.ForgedSignatures} forged signatures, {Tally.Malformed} malformed documents");
    }

    public void WriteJson(TextWriter output)
    {
        var summary = new JsonObject
        {
            ["source"] = Settings.Endpoint,
            ["db"] = Settings.Database,
            ["seed"] = Settings.Seed,
            ["nodes"] = Settings.Nodes,
            ["resumed"] = Resumed,
            ["first_block"] = Tally.FirstBlock,
            ["last_block"] = Tally.LastBlock,
            ["blocks"] = Tally.Blocks,
            ["votes"] = Tally.Votes,
            ["faults"] = new JsonObject
            {
                ["invalid_votes"] = Tally.InvalidVotes,
                ["missing_votes"] = Tally.MissingVotes,
                ["forged_signatures"] = Tally.ForgedSignatures,
                ["malformed"] = Tally.Malformed,
            },
            ["elapsed_seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
            ["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode)w).ToArray()),
        };
        output.WriteLine(summary.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
