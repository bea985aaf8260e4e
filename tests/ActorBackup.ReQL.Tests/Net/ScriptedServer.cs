using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Net;

/// <summary>
/// A loopback server that plays the server side of the V1_0 handshake (password "") and then lets a test read
/// query frames and write any bytes it likes back: well-formed, dribbled, oversized, truncated or garbage.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ScriptedServer() => _listener.Start();

    public ConnectionOptions Options(TimeSpan? responseTimeout = null, long? maxFrameBytes = null) => new()
    {
        Host = "127.0.0.1",
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(10),
        MaxFrameBytes = maxFrameBytes ?? new ConnectionOptions().MaxFrameBytes,
    };

    /// <summary>Connects a client to this server and completes the handshake on both sides.</summary>
    public async Task<(Connection Client, Peer Server)> ConnectAsync(ConnectionOptions? options = null)
    {
        var connecting = Connection.ConnectAsync(options ?? Options());
        var socket = await _listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var peer = new Peer(socket);
        await peer.ServeHandshakeAsync();
        return (await connecting, peer);
    }

    /// <summary>Accepts one raw client, without any handshake.</summary>
    public async Task<Peer> AcceptAsync() =>
        new(await _listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10)));

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        return ValueTask.CompletedTask;
    }

    internal sealed class Peer(Socket socket) : IDisposable
    {
        private readonly NetworkStream _stream = new(NoDelay(socket), ownsSocket: true);

        private static Socket NoDelay(Socket s)
        {
            s.NoDelay = true;
            return s;
        }

        public async Task ServeHandshakeAsync()
        {
            var magic = new byte[4];
            await _stream.ReadExactlyAsync(magic);
            Assert.Equal(ProtocolVersion.V1_0, BinaryPrimitives.ReadUInt32LittleEndian(magic));
            var clientFirst = JsonDocument.Parse(await ReadNulMessageAsync()).RootElement.GetProperty("authentication").GetString()!;
            await SendNulMessageAsync("""{"success":true,"min_protocol_version":0,"max_protocol_version":0,"server_version":"scripted"}""");
            var bare = clientFirst["n,,".Length..];
            var clientNonce = bare[(bare.IndexOf(",r=", StringComparison.Ordinal) + 3)..];
            var salt = "c2FsdHNhbHRzYWx0c2FsdA==";
            var serverFirst = $"r={clientNonce}serverpart,s={salt},i=4096";
            await SendNulMessageAsync(JsonSerializer.Serialize(new { success = true, authentication = serverFirst }));
            var clientFinal = JsonDocument.Parse(await ReadNulMessageAsync()).RootElement.GetProperty("authentication").GetString()!;
            var withoutProof = clientFinal[..clientFinal.IndexOf(",p=", StringComparison.Ordinal)];
            var salted = Scram.SaltedPassword("", Convert.FromBase64String(salt), 4096);
            var signature = Scram.ServerSignature(salted, $"{bare},{serverFirst},{withoutProof}");
            await SendNulMessageAsync(JsonSerializer.Serialize(new { success = true, authentication = "v=" + Convert.ToBase64String(signature) }));
        }

        public async Task<string> ReadNulMessageAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                await _stream.ReadExactlyAsync(one);
                if (one[0] == 0) return Encoding.UTF8.GetString(bytes.ToArray());
                bytes.Add(one[0]);
            }
        }

        public Task SendNulMessageAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json + "\0"));

        /// <summary>Reads the next query frame: its token and its JSON body.</summary>
        public async Task<(ulong Token, JsonElement Query)> ReadQueryAsync()
        {
            var header = new byte[12];
            await _stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            var body = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8))];
            await _stream.ReadExactlyAsync(body);
            return (BinaryPrimitives.ReadUInt64LittleEndian(header), JsonDocument.Parse(body).RootElement.Clone());
        }

        public static byte[] Frame(ulong token, string json) => Frame(token, (uint)Encoding.UTF8.GetByteCount(json), Encoding.UTF8.GetBytes(json));

        public static byte[] Frame(ulong token, uint declaredLength, byte[] payload)
        {
            var frame = new byte[12 + payload.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(frame, token);
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), declaredLength);
            payload.CopyTo(frame, 12);
            return frame;
        }

        public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

        public Task RespondAsync(ulong token, string json) => SendAsync(Frame(token, json));

        /// <summary>Writes the bytes one at a time with a flush between, so the client sees many tiny reads.</summary>
        public async Task DribbleAsync(byte[] bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                await _stream.WriteAsync(bytes.AsMemory(i, 1));
                await _stream.FlushAsync();
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
