using System.Text;
using ActorBackup.Admin.Contract.Ndjson;

namespace ActorBackup.Cluster.Tests.Ingest;

public sealed class NdjsonReaderSpec
{
    private static async Task<List<string>> ReadAll(string body, int cap, bool lineEndRequired = false)
    {
        var lines = new List<string>();
        await foreach (var line in NdjsonReader.ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), cap, lineEndRequired))
            lines.Add(Encoding.UTF8.GetString(line));
        return lines;
    }

    [Fact]
    public async Task Lines_come_back_without_their_line_ends_and_blank_lines_are_skipped()
    {
        var lines = await ReadAll("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}", 64);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], lines);
    }

    [Fact]
    public async Task Lines_longer_than_the_first_buffer_are_read_whole()
    {
        var big = "{\"x\":\"" + new string('y', 200_000) + "\"}";

        var lines = await ReadAll($"{big}\n{{}}\n", 300_000);

        Assert.Equal([big, "{}"], lines);
    }

    [Fact]
    public async Task A_line_above_the_cap_is_refused_with_its_number()
    {
        var error = await Assert.ThrowsAsync<NdjsonLineTooLongException>(() => ReadAll("{}\n{}\n" + new string('x', 5000) + "\n{}\n", 1000));

        Assert.Equal(3, error.Line);
        Assert.Equal("line 3 is longer than 1000 bytes, the most one document may have", error.Message);
    }

    [Fact]
    public async Task A_last_line_above_the_cap_without_a_line_end_is_refused()
    {
        await Assert.ThrowsAsync<NdjsonLineTooLongException>(() => ReadAll(new string('x', 1001), 1000));
    }

    [Fact]
    public async Task A_stream_whose_lines_must_end_is_refused_when_it_stops_inside_a_line()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll("{\"a\":1}\n{\"b\":", 64, lineEndRequired: true));

        Assert.Equal("the stream ended in the middle of a line", error.Message);
    }

    [Fact]
    public async Task A_stream_whose_lines_must_end_gives_every_ended_line()
    {
        var lines = await ReadAll("{\"a\":1}\n\n{\"b\":2}\n", 64, lineEndRequired: true);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines);
    }
}
