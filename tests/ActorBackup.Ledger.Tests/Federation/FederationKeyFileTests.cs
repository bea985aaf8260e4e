using System.Text;

namespace ActorBackup.Ledger.Tests;

public class FederationKeyFileTests
{
    [Fact]
    public void A_written_key_file_loads_back_with_names_and_keys()
    {
        var federation = FederationKeys.Create([new(Fixtures.Node1, "alpha"), new(Fixtures.Node2, null)]);
        var path = Path.Combine(Path.GetTempPath(), $"federation-{Guid.NewGuid():N}.json");
        try
        {
            FederationKeyFile.Save(path, federation);
            var loaded = FederationKeyFile.Load(path);
            Assert.Equal(federation.Members, loaded.Members);
            Assert.True(loaded.Contains(Fixtures.Node2));
            Assert.False(loaded.Contains(Fixtures.Node3));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("nope", "The federation key file is not JSON")]
    [InlineData("[]", "Bad federation key file: the top level must be an object.")]
    [InlineData("{\"nodes\":[]}", "Bad federation key file: \"format\" must be \"actorbackup-federation-keys/1\".")]
    [InlineData("{\"format\":\"actorbackup-federation-keys/1\"}", "Bad federation key file: \"nodes\" must be an array.")]
    [InlineData("{\"format\":\"actorbackup-federation-keys/1\",\"nodes\":[]}", "Bad federation key file: \"nodes\" is empty.")]
    [InlineData("{\"format\":\"actorbackup-federation-keys/1\",\"nodes\":[{\"name\":\"x\"}]}", "Bad federation key file: nodes[0] needs a \"public_key\" string.")]
    [InlineData("{\"format\":\"actorbackup-federation-keys/1\",\"nodes\":[{\"public_key\":\"0OIl\"}]}", "Bad federation key file: The public key \"0OIl\" is not base58 of 32 bytes.")]
    [InlineData("{\"format\":\"actorbackup-federation-keys/1\",\"nodes\":[{\"public_key\":\"" + Fixtures.Node1 + "\",\"name\":3}]}", "Bad federation key file: nodes[0].name must be a string.")]
    [InlineData("{\"format\":\"actorbackup-federation-keys/1\",\"nodes\":[{\"public_key\":\"" + Fixtures.Node1 + "\"},{\"public_key\":\"" + Fixtures.Node1 + "\"}]}", "is listed twice")]
    public void A_bad_key_file_is_rejected_with_a_one_line_reason(string text, string expected)
    {
        Assert.False(FederationKeyFile.TryParse(Encoding.UTF8.GetBytes(text), out var federation, out var error));
        Assert.Null(federation);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_missing_key_file_is_an_invalid_data_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.json");
        var error = Assert.Throws<InvalidDataException>(() => FederationKeyFile.Load(path));
        Assert.Contains(path, error.Message);
    }
}
