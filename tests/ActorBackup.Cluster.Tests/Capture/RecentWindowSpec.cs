using System.Text;
using ActorBackup.Cluster.Capture.Pipeline;

namespace ActorBackup.Cluster.Tests.Capture;

public sealed class RecentWindowSpec
{
    [Fact]
    public void A_document_seen_again_is_a_repeat_but_a_different_document_under_the_same_id_is_not()
    {
        var window = new RecentWindow(10);

        Assert.True(window.Add("a", "{\"id\":\"a\"}"u8));
        Assert.False(window.Add("a", "{\"id\":\"a\"}"u8));
        Assert.True(window.Add("a", "{\"id\":\"a\",\"forged\":true}"u8));
    }

    [Fact]
    public void The_window_forgets_the_oldest_documents_beyond_its_capacity()
    {
        var window = new RecentWindow(3);
        foreach (var id in new[] { "a", "b", "c", "d" }) window.Add(id, Encoding.UTF8.GetBytes(id));

        Assert.True(window.Add("a", "a"u8));
        Assert.False(window.Add("d", "d"u8));
    }

    [Theory]
    [InlineData("{\"vote\":{\"id\":\"inner\"},\"id\":\"outer\"}", "outer")]
    [InlineData("{\"id\":42}", null)]
    [InlineData("{\"id\":\"cut", null)]
    [InlineData("[\"id\"]", null)]
    [InlineData("{}", null)]
    public void The_id_is_read_from_the_top_level_only_and_only_when_it_is_a_string(string json, string? expected)
    {
        Assert.Equal(expected, DocumentId.TryRead(Encoding.UTF8.GetBytes(json)));
    }
}
