using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cli.Tests.Keys;

public sealed class KeysVerbTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-keys-").FullName;

    private string KeyPath => Path.Combine(_directory, "at-rest.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Keys_new_writes_one_random_key_readable_only_by_its_owner()
    {
        var (code, output, error) = await CliRun.RunAsync("keys", "new", "--out", KeyPath);

        Assert.Equal((0, ""), (code, error));
        var ring = KeyFile.Read(KeyPath);
        Assert.Single(ring.Ids);
        Assert.Equal($"Wrote key {KeyRing.Show(ring.CurrentId)} to {KeyPath}; set actorbackup.encryption.key-file to it and keep a copy apart from the data.", output.TrimEnd());
        Assert.Equal(44, File.ReadAllText(KeyPath).TrimEnd('\n').Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));

        var other = Path.Combine(_directory, "other.key");
        await CliRun.RunAsync("keys", "new", "--out", other);
        Assert.NotEqual(File.ReadAllText(KeyPath), File.ReadAllText(other));
    }

    [Fact]
    public async Task Keys_new_refuses_to_replace_a_key_file_without_overwrite_and_leaves_it_as_it_was()
    {
        await CliRun.RunAsync("keys", "new", "--out", KeyPath);
        var before = File.ReadAllText(KeyPath);

        var (code, _, error) = await CliRun.RunAsync("keys", "new", "--out", KeyPath);

        Assert.Equal(2, code);
        Assert.StartsWith($"actorbackup keys: error: {KeyPath} already exists", error);
        Assert.Equal(before, File.ReadAllText(KeyPath));
    }

    [Fact]
    public async Task Keys_rotate_adds_a_key_that_encrypts_while_the_old_one_still_opens_what_it_sealed()
    {
        await CliRun.RunAsync("keys", "new", "--out", KeyPath);
        var old = KeyFile.Read(KeyPath);
        var sealedBefore = old.Seal("block 9a3f5c"u8, "RC"u8);

        var (code, output, _) = await CliRun.RunAsync("keys", "rotate", "--key-file", KeyPath);

        Assert.Equal(0, code);
        var rotated = KeyFile.Read(KeyPath);
        Assert.Equal(2, rotated.Ids.Count);
        Assert.NotEqual(old.CurrentId, rotated.CurrentId);
        Assert.StartsWith($"Added key {KeyRing.Show(rotated.CurrentId)} to {KeyPath}", output);
        Assert.Equal("block 9a3f5c"u8.ToArray(), rotated.Open(sealedBefore, "RC"u8));
        Assert.Equal(rotated.CurrentId, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rotated.Seal("x"u8, "RC"u8)));
    }

    [Fact]
    public async Task Keys_rotate_on_a_file_that_is_not_a_key_file_fails_with_one_line_and_changes_nothing()
    {
        File.WriteAllText(KeyPath, "not a key\n");

        var (code, _, error) = await CliRun.RunAsync("keys", "rotate", "--key-file", KeyPath);

        Assert.Equal(1, code);
        Assert.Equal($"actorbackup keys: error: actorbackup.encryption.key-file: line 1 of {KeyPath} is not a key (32 bytes in base64; make one with `actorbackup keys new`).", error.TrimEnd());
        Assert.Equal("not a key\n", File.ReadAllText(KeyPath));
    }

    [Fact]
    public async Task Keys_without_a_command_is_a_usage_error()
    {
        var (code, _, error) = await CliRun.RunAsync("keys", "--out", KeyPath);

        Assert.Equal(2, code);
        Assert.StartsWith("actorbackup keys: error: say what to do: keys new or keys rotate", error);
        Assert.False(File.Exists(KeyPath));
    }
}
