using System.Text;
using System.Text.Json;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Net;

public class HandshakeTests
{
    private const string Hello = """{"max_protocol_version":0,"min_protocol_version":0,"server_version":"2.4.4","success":true}""";

    // RFC 7677 section 3 (also the RethinkDB driver-writing guide's example).
    private const string RfcNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string RfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string RfcProof = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string RfcServerSignature = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    // Replies recorded from reqlite 2.3.0 for user admin, password "" and client nonce "fixedClientNonce0123456789".
    private const string ReqliteNonce = "fixedClientNonce0123456789";
    private const string ReqliteHello = """{"success":true,"min_protocol_version":0,"max_protocol_version":0}""";
    private const string ReqliteServerFirst = """{"success":true,"authentication":"r=fixedClientNonce01234567896LDSQfSj8hcHZ8W8CpyHS8U=,s=dbNbkOWEmqtBytpR8KMTTg====,i=4096"}""";
    private const string ReqliteServerFinal = """{"success":true,"authentication":"v=L9Hy0lCqrl5XqOYUC3J3+r6tqbDvt6Q4aNTtmxvWfqU="}""";

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Authentication(byte[] message) =>
        JsonDocument.Parse(message.AsMemory(0, message.Length - 1)).RootElement.GetProperty("authentication").GetString()!;

    private static string Success(string authentication) => JsonSerializer.Serialize(new { success = true, authentication });

    [Fact]
    public void The_first_write_pipelines_the_magic_number_and_the_client_first_message()
    {
        var handshake = new Handshake("us=er,x", "pw", "nonce");
        var first = handshake.Start();

        Assert.Equal(new byte[] { 0xc3, 0xbd, 0xc2, 0x34 }, first[..4]);
        Assert.Equal(0, first[^1]);
        var json = JsonDocument.Parse(first.AsMemory(4, first.Length - 5)).RootElement;
        Assert.Equal(0, json.GetProperty("protocol_version").GetInt32());
        Assert.Equal("SCRAM-SHA-256", json.GetProperty("authentication_method").GetString());
        Assert.Equal("n,,n=us=3Der=2Cx,r=nonce", json.GetProperty("authentication").GetString());
        Assert.Equal(HandshakeState.AwaitingVersion, handshake.State);
    }

    [Fact]
    public void The_rfc_7677_vector_gives_the_expected_proof_and_accepts_the_expected_server_signature()
    {
        var handshake = new Handshake("user", "pencil", RfcNonce);
        handshake.Start();

        Assert.Null(handshake.Receive(Utf8(Hello)));
        Assert.Equal("2.4.4", handshake.ServerVersion);
        var clientFinal = Authentication(handshake.Receive(Utf8(Success(RfcServerFirst)))!);
        Assert.Equal($"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p={RfcProof}", clientFinal);
        Assert.Null(handshake.Receive(Utf8(Success("v=" + RfcServerSignature))));
        Assert.Equal(HandshakeState.Completed, handshake.State);
    }

    [Fact]
    public void Recorded_reqlite_replies_with_a_four_equals_salt_complete_the_handshake()
    {
        var handshake = new Handshake("admin", "", ReqliteNonce);
        handshake.Start();

        Assert.Null(handshake.Receive(Utf8(ReqliteHello)));
        Assert.Null(handshake.ServerVersion);
        Assert.NotNull(handshake.Receive(Utf8(ReqliteServerFirst)));
        Assert.Null(handshake.Receive(Utf8(ReqliteServerFinal)));
        Assert.Equal(HandshakeState.Completed, handshake.State);
    }

    [Fact]
    public void A_wrong_password_against_recorded_reqlite_replies_fails_the_server_signature_check()
    {
        var handshake = new Handshake("admin", "not-empty", ReqliteNonce);
        handshake.Start();
        handshake.Receive(Utf8(ReqliteHello));
        handshake.Receive(Utf8(ReqliteServerFirst));

        var error = Assert.Throws<ReqlAuthError>(() => handshake.Receive(Utf8(ReqliteServerFinal)));
        Assert.Contains("Invalid server signature", error.Message);
        Assert.False(error.IsTransient);
        Assert.Equal(HandshakeState.Failed, handshake.State);
    }

    [Fact]
    public void A_server_signature_that_differs_in_one_byte_is_rejected()
    {
        var handshake = new Handshake("user", "pencil", RfcNonce);
        handshake.Start();
        handshake.Receive(Utf8(Hello));
        handshake.Receive(Utf8(Success(RfcServerFirst)));
        var wrong = Convert.FromBase64String(RfcServerSignature);
        wrong[^1] ^= 1;

        Assert.Throws<ReqlAuthError>(() => handshake.Receive(Utf8(Success("v=" + Convert.ToBase64String(wrong)))));
    }

    [Fact]
    public void A_server_nonce_that_does_not_extend_the_client_nonce_is_rejected()
    {
        var handshake = new Handshake("user", "pencil", RfcNonce);
        handshake.Start();
        handshake.Receive(Utf8(Hello));

        var error = Assert.Throws<ReqlAuthError>(() => handshake.Receive(Utf8(Success("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))));
        Assert.Contains("Invalid nonce", error.Message);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(12, true)]
    [InlineData(17, true)]
    [InlineData(20, true)]
    [InlineData(7, false)]
    [InlineData(21, false)]
    public void Handshake_error_codes_10_to_20_are_auth_errors_and_others_driver_errors(int code, bool isAuth)
    {
        var handshake = new Handshake("user", "pencil", RfcNonce);
        handshake.Start();
        handshake.Receive(Utf8(Hello));

        var error = Assert.ThrowsAny<ReqlDriverError>(() =>
            handshake.Receive(Utf8($$"""{"success":false,"error":"Wrong password","error_code":{{code}}}""")));
        Assert.Equal(isAuth, error is ReqlAuthError);
        Assert.Contains("Wrong password", error.Message);
        Assert.Contains($"error {code}", error.Message);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(-2, -1)]
    public void A_server_whose_protocol_range_excludes_0_is_refused(int min, int max)
    {
        var handshake = new Handshake("admin", "");
        handshake.Start();

        var error = Assert.Throws<ReqlDriverError>(() =>
            handshake.Receive(Utf8($$"""{"success":true,"min_protocol_version":{{min}},"max_protocol_version":{{max}}}""")));
        Assert.Equal($"Unsupported protocol version 0: the server accepts {min} to {max}.", error.Message);
    }

    [Fact]
    public void A_plain_text_error_instead_of_json_is_reported_with_its_text()
    {
        var handshake = new Handshake("admin", "");
        handshake.Start();

        var error = Assert.Throws<ReqlDriverError>(() =>
            handshake.Receive(Utf8("ERROR: Received an unsupported protocol version. This port is for RethinkDB queries.\n")));
        Assert.Contains("ERROR: Received an unsupported protocol version", error.Message);
    }

    [Fact]
    public void A_reply_that_is_not_json_is_a_driver_error()
    {
        var handshake = new Handshake("admin", "");
        handshake.Start();

        var error = Assert.Throws<ReqlDriverError>(() => handshake.Receive(Utf8("{not json")));
        Assert.Contains("is not JSON", error.Message);
    }

    [Theory]
    [InlineData("dbNbkOWEmqtBytpR8KMTTg====", 16)]
    [InlineData("dbNbkOWEmqtBytpR8KMTTg==", 16)]
    [InlineData("dbNbkOWEmqtBytpR8KMTTg", 16)]
    [InlineData("AAEC", 3)]
    public void Lenient_base64_accepts_missing_or_surplus_padding(string text, int length) =>
        Assert.Equal(length, LenientBase64.Decode(text).Length);

    [Fact]
    public void Lenient_base64_still_rejects_an_impossible_length() =>
        Assert.Throws<FormatException>(() => LenientBase64.Decode("AAAAA"));

    [Fact]
    public void A_message_before_start_is_a_programming_error()
    {
        var handshake = new Handshake("admin", "");
        Assert.Throws<InvalidOperationException>(() => handshake.Receive(Utf8(Hello)));
    }
}
