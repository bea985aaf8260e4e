using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// The V1_0 handshake with SCRAM-SHA-256 as a state machine without a socket: <see cref="Start"/> gives the first
/// bytes to write (magic and client-first message pipelined in one write), <see cref="Receive"/> takes each
/// NUL-terminated server message (without the NUL) and returns what to write next, if anything.
/// </summary>
public sealed class Handshake
{
    private readonly string _user;
    private readonly string _password;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;

    public Handshake(string user, string password, string? clientNonce = null)
    {
        _user = user;
        _password = password;
        _clientNonce = clientNonce ?? Scram.NewNonce();
    }

    public HandshakeState State { get; private set; } = HandshakeState.NotStarted;

    /// <summary>The server's version string from its first reply, when it sends one (reqlite does not).</summary>
    public string? ServerVersion { get; private set; }

    /// <summary>The magic number (4 bytes, little-endian) followed by the client-first message and its NUL.</summary>
    public byte[] Start()
    {
        Require(HandshakeState.NotStarted);
        // client-first-message-bare = "n=" saslname ",r=" c-nonce
        _clientFirstBare = $"n={Scram.EscapeUserName(_user)},r={_clientNonce}";
        var buffer = new ArrayBufferWriter<byte>();
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), ProtocolVersion.V1_0);
        buffer.Advance(4);
        WriteMessage(buffer, w =>
        {
            w.WriteNumber("protocol_version", ProtocolVersion.SubProtocol);
            w.WriteString("authentication_method", "SCRAM-SHA-256");
            // client-first-message = gs2-header client-first-message-bare, gs2-header = "n,,"
            w.WriteString("authentication", "n,," + _clientFirstBare);
        });
        State = HandshakeState.AwaitingVersion;
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Consumes one server message; returns the bytes to send next (with their NUL) or null when nothing is due.</summary>
    public byte[]? Receive(ReadOnlySpan<byte> message)
    {
        try
        {
            return State switch
            {
                HandshakeState.AwaitingVersion => OnVersion(message),
                HandshakeState.AwaitingServerFirst => OnServerFirst(message),
                HandshakeState.AwaitingServerFinal => OnServerFinal(message),
                _ => throw new InvalidOperationException($"The handshake received a message in state {State}."),
            };
        }
        catch (ReqlError)
        {
            State = HandshakeState.Failed;
            throw;
        }
    }

    private byte[]? OnVersion(ReadOnlySpan<byte> message)
    {
        using var doc = ParseSuccess(message, "version reply");
        var root = doc.RootElement;
        var min = ReadInt(root, "min_protocol_version");
        var max = ReadInt(root, "max_protocol_version");
        if (min > ProtocolVersion.SubProtocol || max < ProtocolVersion.SubProtocol)
            throw new ReqlDriverError(
                $"Unsupported protocol version {ProtocolVersion.SubProtocol}: the server accepts {min} to {max}.");
        if (root.TryGetProperty("server_version", out var v) && v.ValueKind == JsonValueKind.String)
            ServerVersion = v.GetString();
        State = HandshakeState.AwaitingServerFirst;
        return null;
    }

    private byte[] OnServerFirst(ReadOnlySpan<byte> message)
    {
        using var doc = ParseSuccess(message, "SCRAM server-first message");
        var serverFirst = ReadString(doc.RootElement, "authentication");
        var attributes = ParseScram(serverFirst);
        var nonce = Attribute(attributes, "r", serverFirst);
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
            throw new ReqlAuthError("Invalid nonce from server: it does not extend the client nonce.");
        byte[] salt;
        try { salt = LenientBase64.Decode(Attribute(attributes, "s", serverFirst)); }
        catch (FormatException e) { throw new ReqlDriverError($"Invalid salt from server: {e.Message}"); }
        if (!int.TryParse(Attribute(attributes, "i", serverFirst), out var iterations) || iterations < 1)
            throw new ReqlDriverError($"Invalid iteration count from server in '{serverFirst}'.");

        var saltedPassword = Scram.SaltedPassword(_password, salt, iterations);
        // client-final-message-without-proof = "c=" base64(gs2-header) ",r=" nonce
        var clientFinalWithoutProof = $"c={Scram.ChannelBinding},r={nonce}";
        // AuthMessage = client-first-message-bare "," server-first-message "," client-final-message-without-proof
        var authMessage = $"{_clientFirstBare},{serverFirst},{clientFinalWithoutProof}";
        var proof = Scram.ClientProof(saltedPassword, authMessage);
        _expectedServerSignature = Scram.ServerSignature(saltedPassword, authMessage);

        var buffer = new ArrayBufferWriter<byte>();
        // client-final-message = client-final-message-without-proof ",p=" base64(ClientProof)
        WriteMessage(buffer, w => w.WriteString("authentication", $"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}"));
        State = HandshakeState.AwaitingServerFinal;
        return buffer.WrittenSpan.ToArray();
    }

    private byte[]? OnServerFinal(ReadOnlySpan<byte> message)
    {
        using var doc = ParseSuccess(message, "SCRAM server-final message");
        var serverFinal = ReadString(doc.RootElement, "authentication");
        var attributes = ParseScram(serverFinal);
        byte[] signature;
        try { signature = LenientBase64.Decode(Attribute(attributes, "v", serverFinal)); }
        catch (FormatException) { throw new ReqlAuthError("Invalid server signature: not base64."); }
        // The server proves it knows the password: ServerSignature must equal ours, compared in constant time.
        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
            throw new ReqlAuthError("Invalid server signature: the server does not know this user's password.");
        State = HandshakeState.Completed;
        return null;
    }

    private static JsonDocument ParseSuccess(ReadOnlySpan<byte> message, string what)
    {
        if (message.Length == 0 || message[0] != (byte)'{')
            throw new ReqlDriverError($"The server refused the connection during the {what}: {Printable(message)}");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(message.ToArray()); }
        catch (JsonException) { throw new ReqlDriverError($"The server's {what} is not JSON: {Printable(message)}"); }
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.True)
            return doc;
        using (doc)
        {
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : $"no error text in {Printable(message)}";
            var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : -1;
            if (code is >= 10 and <= 20)
                throw new ReqlAuthError($"Authentication failed (error {code}): {error}");
            throw new ReqlDriverError($"The server rejected the {what} (error {code}): {error}");
        }
    }

    private static Dictionary<string, string> ParseScram(string text)
    {
        try { return Scram.ParseAttributes(text); }
        catch (FormatException e) { throw new ReqlDriverError($"Invalid SCRAM message from server: {e.Message}"); }
    }

    private static string Attribute(Dictionary<string, string> attributes, string key, string message) =>
        attributes.TryGetValue(key, out var value) ? value : throw new ReqlDriverError($"The SCRAM message '{message}' lacks '{key}='.");

    private static int ReadInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : throw new ReqlDriverError($"The server's version reply lacks a numeric `{name}`.");

    private static string ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new ReqlDriverError($"The server's handshake reply lacks a string `{name}`.");

    private static void WriteMessage(ArrayBufferWriter<byte> buffer, Action<Utf8JsonWriter> body)
    {
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        buffer.GetSpan(1)[0] = 0;
        buffer.Advance(1);
    }

    private void Require(HandshakeState state)
    {
        if (State != state)
            throw new InvalidOperationException($"The handshake is in state {State}, not {state}.");
    }

    private static string Printable(ReadOnlySpan<byte> message)
    {
        var text = Encoding.UTF8.GetString(message[..Math.Min(message.Length, 200)]).TrimEnd('\n', '\0');
        return text.Length == 0 ? "(empty reply)" : text;
    }
}
