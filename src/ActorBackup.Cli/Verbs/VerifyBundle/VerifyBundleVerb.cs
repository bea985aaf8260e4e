using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Federation;
using ActorBackup.Recovery.Bundle;

namespace ActorBackup.Cli.Verbs.VerifyBundle;

/// <summary>
/// `actorbackup verify-bundle`: is every selected transaction of a client bundle in a block its votes decide valid,
/// and does every record verify? Exit 0 all proven, 3 anything failed or not proven, 1 the file is unreadable.
/// </summary>
public sealed class VerifyBundleVerb : IVerb
{
    public string Name => "verify-bundle";

    public string Summary => "Check a client bundle: every id and signature, and each selected transaction in a block its votes decide valid.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.FederationKeys("The federation's key file to trust (default: the keys the bundle's manifest names, which are only its own word)."),
        SharedOptions.Json("Print the verdicts as JSON."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup verify-bundle my-ledger.tar.gz --federation-keys federation-keys.json",
        "actorbackup verify-bundle my-ledger.tar.gz --json",
    ];

    public void Check(ParsedArgs args) => BundlePath(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = BundlePath(args);
        BundleVerification verification;
        try
        {
            var bundle = BundleArchive.Open(path);
            var trusted = args.GetString("federation-keys") is { } file
                ? BundleFederationKeys.FromFile(file, LoadKeys(file))
                : BundleFederationKeys.FromManifest(path, bundle.Manifest!);
            verification = BundleVerifier.Verify(bundle, trusted);
        }
        catch (BundleFormatException e)
        {
            throw new CliError(e.Message);
        }
        if (args.GetFlag("json"))
            output.WriteLine(JsonSerializer.Serialize(VerdictText.Json(verification), VerdictText.JsonOptions));
        else
            VerdictText.Write(output, verification);
        return Task.FromResult(verification.IsProven ? ExitCodes.Ok : ExitCodes.VerificationFailed);
    }

    private string BundlePath(ParsedArgs args) => args.Positional.Count == 1
        ? Path.GetFullPath(args.Positional[0])
        : throw CliError.Usage(args.Positional.Count == 0 ? "name the bundle to verify (FILE.tar.gz)" : $"verify-bundle takes one bundle, not {args.Positional.Count}", Name);

    internal static FederationKeys LoadKeys(string path)
    {
        try
        {
            return FederationKeyFile.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new CliError(e.Message.TrimEnd('.'));
        }
    }
}
