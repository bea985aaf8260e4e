using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class NodeIdSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-node-id-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_data_directory_is_given_an_id_once_and_keeps_it()
    {
        var data = Path.Combine(_directory, "data");

        var first = NodeId.Of(data);

        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.Equal(first, NodeId.Of(data));
        Assert.Equal(first + "\n", File.ReadAllText(Path.Combine(data, NodeId.FileName)));
    }

    [Fact]
    public void Two_data_directories_have_different_ids()
    {
        Assert.NotEqual(NodeId.Of(Path.Combine(_directory, "a")), NodeId.Of(Path.Combine(_directory, "b")));
    }

    [Fact]
    public void A_file_that_holds_no_id_is_refused_with_one_line_and_left_as_it_is()
    {
        var file = Path.Combine(_directory, NodeId.FileName);
        File.WriteAllText(file, "not an id\n");

        var e = Assert.Throws<BackupSettingsException>(() => NodeId.Of(_directory));

        Assert.Equal($"actorbackup.data-dir: {file} does not hold a node id (32 lowercase hexadecimal digits); it names this node to others and is never rewritten", e.Message);
        Assert.Equal("not an id\n", File.ReadAllText(file));
    }
}
