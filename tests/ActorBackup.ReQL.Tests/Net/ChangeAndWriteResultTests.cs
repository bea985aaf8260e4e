using System.Text.Json;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Net;

public class ChangeAndWriteResultTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void A_queue_overflow_element_is_surfaced_as_an_error_change()
    {
        var change = Change.From(Json("""{"error":"Changefeed cache over array size limit, skipped 12 elements."}"""));

        Assert.Equal("Changefeed cache over array size limit, skipped 12 elements.", change.Error);
        Assert.False(change.IsDocumentChange);
    }

    [Fact]
    public void State_and_typed_elements_keep_their_fields_and_raw_json()
    {
        var state = Change.From(Json("""{"state":"ready"}"""));
        var typed = Change.From(Json("""{"new_val":{"id":1},"old_val":null,"type":"add"}"""));

        Assert.Equal("ready", state.State);
        Assert.Equal("add", typed.Type);
        Assert.Null(typed.OldValue);
        Assert.Equal("""{"id":1}""", typed.NewValue!.Value.GetRawText());
        Assert.Equal("""{"new_val":{"id":1},"old_val":null,"type":"add"}""", typed.Raw.GetRawText());
    }

    [Fact]
    public void A_write_result_reads_every_counter_and_tolerates_nulls()
    {
        var result = WriteResult.From(Json("""
            {"inserted":2,"replaced":1,"unchanged":3,"errors":1,"first_error":"Duplicate primary key `id`","deleted":4,
             "skipped":5,"generated_keys":["k1","k2"],"changes":[{"old_val":null,"new_val":{"id":"k1"}}],"dbs_created":null}
            """));

        Assert.Equal((2, 1, 3, 1, 4, 5), (result.Inserted, result.Replaced, result.Unchanged, result.Errors, result.Deleted, result.Skipped));
        Assert.Equal("Duplicate primary key `id`", result.FirstError);
        Assert.Equal(["k1", "k2"], result.GeneratedKeys.Select(k => k.GetString()));
        Assert.Equal("k1", Assert.Single(result.Changes).NewValue!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public void A_write_returning_something_else_than_an_object_is_a_driver_error()
    {
        var error = Assert.Throws<ReqlDriverError>(() => WriteResult.From(Json("[1]")));
        Assert.Equal("A write query returned Array, not a result object: [1]", error.Message);
    }

    [Fact]
    public void Connection_options_defaults_are_the_documented_ones()
    {
        var options = new ConnectionOptions();

        Assert.Equal(("localhost", 28015, "admin", "", (string?)null), (options.Host, options.Port, options.User, options.Password, options.Db));
        Assert.Equal(TimeSpan.FromSeconds(20), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ResponseTimeout);
        Assert.Equal(512L * 1024 * 1024, options.MaxFrameBytes);
        Assert.Equal(16 * 1024, options.MaxHandshakeMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.KeepAliveIdle);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HostBackoff);
        Assert.Equal(2, options.CursorPrefetchBatches);
    }
}
