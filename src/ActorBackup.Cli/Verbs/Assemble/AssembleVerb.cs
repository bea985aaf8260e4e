using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.VerifyBundle;
using ActorBackup.Recovery.Bundle;
using ActorBackup.Recovery.Bundle.Assembly;

namespace ActorBackup.Cli.Verbs.Assemble;

/// <summary>
/// `actorbackup assemble`: merges client bundles (or any dumps of a ledger) into one `rethinkdb dump` archive, every
/// record verified and kept once, and reports what the vote chains prove missing. Exit 0 when nothing failed and the
/// audit found nothing, 3 otherwise (the archive is written either way), 1 when a bundle is unreadable.
/// </summary>
public sealed class AssembleVerb : IVerb
{
    public string Name => "assemble";

    public string Summary => "Merge client bundles into one verified rethinkdb-dump archive and report what the vote chains prove missing.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("bundle", "FILE", "A bundle (or any dump of the bigchain and votes tables) to merge; repeat for each.", Required: true, Repeatable: true),
        new("out", "FILE", "The archive to write (.tar.gz); written under a temporary name and renamed when complete.", Required: true),
        SharedOptions.FederationKeys("The federation's key file to verify against (default: the keys the bundles' manifests name, if they all agree)."),
        SharedOptions.Overwrite,
        SharedOptions.Json("Print the report as JSON."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup assemble --bundle alice.tar.gz --bundle bob.tar.gz --out ledger.tar.gz --federation-keys federation-keys.json",
        "actorbackup assemble --bundle alice.tar.gz --bundle bob.tar.gz --bundle carol.tar.gz --out ledger.tar.gz --json",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (bundlePaths, outPath) = Settings(args);
        if (!Directory.Exists(Path.GetDirectoryName(outPath)))
            throw new CliError($"the folder of {outPath} does not exist", ExitCodes.Usage);
        AssemblyReport report;
        try
        {
            var bundles = bundlePaths.Select(p => BundleArchive.Open(p, requireManifest: false)).ToList();
            var keys = args.GetString("federation-keys") is { } file
                ? BundleFederationKeys.FromFile(file, VerifyBundleVerb.LoadKeys(file))
                : BundleFederationKeys.FromManifests(bundles);
            report = await new BundleAssembler(keys, AssemblyOptions.Default).AssembleAsync(bundles, outPath, args.GetFlag("overwrite"), cancellationToken);
        }
        catch (BundleFormatException e)
        {
            throw new CliError(e.Message);
        }
        if (args.GetFlag("json"))
            output.WriteLine(JsonSerializer.Serialize(AssemblyText.Json(report), VerdictText.JsonOptions));
        else
            AssemblyText.Write(output, report);
        return report.IsComplete ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private (IReadOnlyList<string> Bundles, string Out) Settings(ParsedArgs args)
    {
        if (args.Positional.Count > 0)
            throw CliError.Usage($"name each bundle with --bundle (got '{args.Positional[0]}')", Name);
        var bundles = args.GetAll("bundle").Select(Path.GetFullPath).ToList();
        if (bundles.GroupBy(b => b).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw CliError.Usage($"--bundle {twice.Key} is given twice", Name);
        var output = Path.GetFullPath(args.GetRequiredString("out"));
        if (bundles.Contains(output))
            throw CliError.Usage($"--out {output} is also a --bundle: write the assembled ledger to a new file", Name);
        if (Directory.Exists(output))
            throw CliError.Usage($"{output} is a directory; --out takes the archive's file name", Name);
        if (File.Exists(output) && !args.GetFlag("overwrite"))
            throw new CliError($"{output} already exists", ExitCodes.Usage, "pass --overwrite to replace it");
        return (bundles, output);
    }
}
