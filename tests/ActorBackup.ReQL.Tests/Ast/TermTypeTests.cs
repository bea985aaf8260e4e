using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.Testing;
using Xunit;

namespace ActorBackup.ReQL.Tests.Ast;

public sealed class TermTypeTests
{
    [Fact]
    public void The_enum_has_exactly_the_names_and_numbers_of_ql2_proto()
    {
        using var enums = JsonDocument.Parse(File.ReadAllText(RepoPaths.ReqlEnums));
        var expected = enums.RootElement.GetProperty("TermType").EnumerateObject()
            .Select(p => $"{PascalCase(p.Name)}={p.Value.GetInt32()}").Order();
        var actual = Enum.GetValues<TermType>().Select(t => $"{t}={(int)t}").Order();
        Assert.Equal(expected, actual);
    }

    private static string PascalCase(string protoName) =>
        string.Concat(protoName.Split('_').Select(part => part[0] + part[1..].ToLowerInvariant()));
}
