using System.Text;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Tests.Archive;

public class PythonJsonTests
{
    private static string Format(string json) => PythonJson.Format(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Separators_are_comma_space_and_colon_space_with_keys_in_document_order()
    {
        Assert.Equal("""{"z": 1, "a": [true, false, null], "m": {}}""", Format("""{ "z":1,"a":[ true,false,null ],"m":{} }"""));
    }

    [Fact]
    public void Number_tokens_are_copied_verbatim()
    {
        Assert.Equal("[1.0, 1e3, 12345678901234567890, -0, 2.5E-7]", Format("[1.0,1e3,12345678901234567890,-0,2.5E-7]"));
    }

    [Fact]
    public void Non_ascii_characters_become_lowercase_u_escapes_and_astral_ones_surrogate_pairs()
    {
        Assert.Equal("""["h\u00e9llo \u20ac", "\ud83d\ude00", "\u007f"]""", Format("[\"héllo €\",\"😀\",\"\u007f\"]"));
    }

    [Fact]
    public void Escapes_are_decoded_and_re_escaped_as_python_does()
    {
        Assert.Equal("""["q\"\\/\n\t\r\b\f\u0001", "A\ud800"]""", Format("""["q\"\\\/\n\t\r\b\f\u0001","\u0041\uD800"]"""));
    }

    [Fact]
    public void Nested_empty_containers_keep_their_shape()
    {
        Assert.Equal("""{"a": [[], [{}], [[1, 2], [3]]]}""", Format("""{"a":[[],[{}],[[1,2],[3]]]}"""));
    }
}
