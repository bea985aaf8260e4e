using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;

namespace ActorBackup.Cli.Tests.ClientBundle;

/// <summary>Command lines client-backup, verify-bundle and assemble refuse before doing anything: one line, exit 2.</summary>
public sealed class BundleUsageTests : IDisposable
{
    private const string Tx = "04c00267af82c161b4bf2ad4a47d1ddbfeb47eef1a14b8d51f37d6ee00ea5cdd";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("actorbackup-bundle-usage-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Theory]
    [InlineData("client-backup: error: give exactly one of --source HOST:PORT (the federation's RethinkDB) and --admin URL (a backup cluster)",
        "client-backup", "--tx", Tx, "--out", "b.tar.gz")]
    [InlineData("client-backup: error: give exactly one of --source HOST:PORT (the federation's RethinkDB) and --admin URL (a backup cluster)",
        "client-backup", "--source", "127.0.0.1:28015", "--admin", "http://127.0.0.1:8558", "--tx", Tx, "--out", "b.tar.gz")]
    [InlineData("client-backup: error: say what to keep: --tx, --tx-file, --public-key or --asset (or --since an earlier bundle)",
        "client-backup", "--source", "127.0.0.1:28015", "--out", "b.tar.gz")]
    [InlineData("client-backup: error: --tx must be a transaction id of 64 hex digits (got 'abc')",
        "client-backup", "--source", "127.0.0.1:28015", "--tx", "abc", "--out", "b.tar.gz")]
    [InlineData("client-backup: error: --public-key must be a base58 Ed25519 public key of 32 bytes (got 'not-a-key')",
        "client-backup", "--source", "127.0.0.1:28015", "--public-key", "not-a-key", "--out", "b.tar.gz")]
    [InlineData("client-backup: error: --token-file goes with --admin: a RethinkDB source takes --user and --password",
        "client-backup", "--source", "127.0.0.1:28015", "--tx", Tx, "--token-file", "t", "--out", "b.tar.gz")]
    [InlineData("client-backup: error: --user, --password and --db go with --source: a backup cluster takes --token-file",
        "client-backup", "--admin", "http://127.0.0.1:8558", "--tx", Tx, "--password", "x", "--out", "b.tar.gz")]
    [InlineData("client-backup: error: --out is required", "client-backup", "--source", "127.0.0.1:28015", "--tx", Tx)]
    [InlineData("verify-bundle: error: name the bundle to verify (FILE.tar.gz)", "verify-bundle")]
    [InlineData("verify-bundle: error: verify-bundle takes one bundle, not 2", "verify-bundle", "a.tar.gz", "b.tar.gz")]
    [InlineData("assemble: error: --bundle FILE is required", "assemble", "--out", "ledger.tar.gz")]
    [InlineData("assemble: error: name each bundle with --bundle (got 'a.tar.gz')", "assemble", "a.tar.gz", "--bundle", "b.tar.gz", "--out", "ledger.tar.gz")]
    public async Task A_refused_command_line_is_one_line_with_exit_code_2(string message, params string[] args)
    {
        var (code, output, error) = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Equal($"actorbackup {message.Replace("--out is required", "--out FILE is required")} (hint: see `actorbackup {args[0]} --help`)", error.TrimEnd());
    }

    [Fact]
    public async Task Writing_over_an_existing_file_or_a_bundle_being_read_is_refused()
    {
        var bundle = Path.Combine(_temp.FullName, "a.tar.gz");
        File.WriteAllText(bundle, "an earlier bundle");

        var over = await CliRun.RunAsync("client-backup", "--source", "127.0.0.1:28015", "--tx", Tx, "--out", bundle);
        var same = await CliRun.RunAsync("client-backup", "--source", "127.0.0.1:28015", "--since", bundle, "--out", bundle, "--overwrite");
        var twice = await CliRun.RunAsync("assemble", "--bundle", bundle, "--bundle", bundle, "--out", "x.tar.gz");
        var onto = await CliRun.RunAsync("assemble", "--bundle", bundle, "--out", bundle, "--overwrite");

        Assert.Equal($"actorbackup client-backup: error: {bundle} already exists (hint: pass --overwrite to replace it)", over.Err.TrimEnd());
        Assert.Equal("actorbackup client-backup: error: --since and --out name the same file: write the extended bundle beside the old one (hint: see `actorbackup client-backup --help`)", same.Err.TrimEnd());
        Assert.Equal($"actorbackup assemble: error: --bundle {bundle} is given twice (hint: see `actorbackup assemble --help`)", twice.Err.TrimEnd());
        Assert.Equal($"actorbackup assemble: error: --out {bundle} is also a --bundle: write the assembled ledger to a new file (hint: see `actorbackup assemble --help`)", onto.Err.TrimEnd());
        Assert.All(new[] { over, same, twice, onto }, r => Assert.Equal(ExitCodes.Usage, r.Code));
        Assert.Equal("an earlier bundle", File.ReadAllText(bundle));
    }

    [Fact]
    public async Task A_bad_line_in_the_transaction_file_is_named_by_file_and_line_before_any_source_is_asked()
    {
        var list = Path.Combine(_temp.FullName, "txs.txt");
        File.WriteAllLines(list, ["# mine", Tx, "", "not-an-id  # oops"]);

        var (code, _, error) = await CliRun.RunAsync("client-backup", "--source", "127.0.0.1:1", "--tx-file", list, "--out", Path.Combine(_temp.FullName, "b.tar.gz"));

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"actorbackup client-backup: error: {list}:4: not a transaction id of 64 hex digits: 'not-an-id'", error.TrimEnd());
    }

    [Fact]
    public async Task An_unreachable_source_is_one_line_and_leaves_no_file()
    {
        var output = Path.Combine(_temp.FullName, "b.tar.gz");

        var (code, _, error) = await CliRun.RunAsync("client-backup", "--source", "127.0.0.1:1", "--tx", Tx, "--out", output);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("actorbackup client-backup: error: cannot reach 127.0.0.1:1: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Empty(Directory.EnumerateFiles(_temp.FullName));
    }
}
