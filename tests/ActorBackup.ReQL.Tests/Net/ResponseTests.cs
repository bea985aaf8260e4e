using System.Text;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Net;

public class ResponseTests
{
    private static Response Parse(string json) => Response.Parse(7, Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData(1000000, typeof(ReqlInternalError), false)]
    [InlineData(2000000, typeof(ReqlResourceLimitError), false)]
    [InlineData(3000000, typeof(ReqlQueryLogicError), false)]
    [InlineData(3100000, typeof(ReqlNonExistenceError), false)]
    [InlineData(4100000, typeof(ReqlOpFailedError), true)]
    [InlineData(4200000, typeof(ReqlOpIndeterminateError), true)]
    [InlineData(5000000, typeof(ReqlUserError), false)]
    [InlineData(6000000, typeof(ReqlPermissionError), false)]
    [InlineData(42, typeof(ReqlRuntimeError), false)]
    public void A_runtime_error_maps_its_error_type_to_the_matching_exception(int e, Type expected, bool transient)
    {
        var error = Parse($$"""{"t":18,"e":{{e}},"r":["Changefeed aborted (unavailable)."],"b":[]}""").ToError();

        Assert.IsType(expected, error);
        Assert.Equal("Changefeed aborted (unavailable).", error.Message);
        Assert.Equal(transient, error.IsTransient);
    }

    [Fact]
    public void Availability_and_non_existence_errors_sit_in_the_server_taxonomy()
    {
        Assert.IsAssignableFrom<ReqlAvailabilityError>(Parse("""{"t":18,"e":4100000,"r":["x"]}""").ToError());
        Assert.IsAssignableFrom<ReqlQueryLogicError>(Parse("""{"t":18,"e":3100000,"r":["x"]}""").ToError());
        Assert.IsAssignableFrom<ReqlRuntimeError>(Parse("""{"t":18,"e":6000000,"r":["x"]}""").ToError());
    }

    [Fact]
    public void Client_and_compile_errors_are_not_transient()
    {
        var client = Parse("""{"t":16,"r":["Query size (200000000) greater than maximum (134217727)."]}""").ToError();
        var compile = Parse("""{"t":17,"r":["Unrecognized optional argument `bogus`."],"b":[]}""").ToError();

        Assert.IsType<ReqlClientError>(client);
        Assert.IsType<ReqlCompileError>(compile);
        Assert.False(client.IsTransient);
        Assert.False(compile.IsTransient);
    }

    [Fact]
    public void A_response_without_t_is_a_runtime_error_carrying_its_first_value()
    {
        var response = Parse("""{"r":["Ereor is not defined"],"b":[],"debug":"ReferenceError"}""");

        Assert.True(response.IsError);
        var error = Assert.IsType<ReqlRuntimeError>(response.ToError());
        Assert.Equal("Ereor is not defined", error.Message);
    }

    [Fact]
    public void An_unknown_response_type_is_a_driver_error()
    {
        var error = Parse("""{"t":99,"r":["?"]}""").ToError();

        Assert.IsType<ReqlDriverError>(error);
        Assert.Equal("Unknown response type 99 for token 7: ?", error.Message);
    }

    [Fact]
    public void Notes_mark_a_changefeed()
    {
        Assert.True(Parse("""{"t":3,"r":[],"n":[1]}""").IsFeed);
        Assert.True(Parse("""{"t":3,"r":[],"n":[2,5]}""").IsFeed);
        Assert.False(Parse("""{"t":3,"r":[],"n":[]}""").IsFeed);
    }
}
