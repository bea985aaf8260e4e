using System.Text.Json;
using System.Text.Unicode;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Streams the documents of one data member the way <c>rethinkdb import</c> accepts them: a JSON array of objects,
/// or objects separated by any JSON whitespace (NDJSON) when the text starts with <c>{</c>. Only the current
/// document is buffered (up to the size cap); anything malformed is an <see cref="ArchiveFormatException"/>
/// naming the member and the byte offset.
/// </summary>
internal sealed class JsonRowReader
{
    private enum Layout { Unknown, Array, Objects, AfterArray }

    private enum Step { Document, End, NeedData }

    private readonly Stream _input;
    private readonly string _member;
    private readonly int _maxDocumentBytes;
    private readonly int _maxDepth;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private JsonReaderState _state;
    private Layout _layout;

    public JsonRowReader(Stream input, string member, DumpArchiveReaderOptions options)
    {
        _input = input;
        _member = member;
        _maxDocumentBytes = options.MaxDocumentBytes;
        // The enclosing array is one level; the documents may nest MaxNestingDepth below it.
        _maxDepth = options.MaxNestingDepth + 1;
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = _maxDepth, AllowMultipleValues = true });
    }

    /// <summary>Documents read so far.</summary>
    public long Count { get; private set; }

    /// <summary>The next document, or false at the end of the member.</summary>
    public bool TryRead(out JsonElement document)
    {
        while (true)
        {
            switch (TryStep(out document))
            {
                case Step.Document:
                    Count++;
                    return true;
                case Step.End:
                    return false;
                default:
                    Fill();
                    break;
            }
        }
    }

    private Step TryStep(out JsonElement document)
    {
        document = default;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            while (true)
            {
                var before = reader.BytesConsumed;
                var stateBefore = reader.CurrentState;
                if (!reader.Read())
                    return AtEndOfData(ref reader);
                switch (_layout, reader.TokenType)
                {
                    case (Layout.Unknown, JsonTokenType.StartArray):
                        _layout = Layout.Array;
                        Commit(ref reader);
                        continue;
                    case (Layout.Unknown, JsonTokenType.StartObject):
                        _layout = Layout.Objects;
                        break;
                    case (Layout.Unknown, _):
                        throw Error(reader.TokenStartIndex, "expected a JSON array or JSON objects");
                    case (Layout.Array, JsonTokenType.EndArray):
                        _layout = Layout.AfterArray;
                        Commit(ref reader);
                        continue;
                    case (Layout.Array or Layout.Objects, JsonTokenType.StartObject):
                        break;
                    case (Layout.Array or Layout.Objects, _):
                        throw Error(reader.TokenStartIndex, $"document {Count + 1} is not a JSON object");
                    default:
                        throw Error(reader.TokenStartIndex, "unexpected data after the closing ']'");
                }
                var tokenStart = reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    if (_end - _start - tokenStart > _maxDocumentBytes)
                        throw TooLarge(tokenStart);
                    _start += (int)before;
                    _state = stateBefore;
                    return Step.NeedData;
                }
                var length = reader.BytesConsumed - tokenStart;
                if (length > _maxDocumentBytes)
                    throw TooLarge(tokenStart);
                var bytes = _buffer.AsSpan(_start + (int)tokenStart, (int)length);
                if (!Utf8.IsValid(bytes))
                    throw Error(tokenStart, $"document {Count + 1} is not valid UTF-8");
                var single = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = _maxDepth });
                document = JsonElement.ParseValue(ref single);
                Commit(ref reader);
                return Step.Document;
            }
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw Error(reader.BytesConsumed, $"invalid JSON: {(cut > 0 ? message[..cut] : message)}", e);
        }
    }

    private Step AtEndOfData(ref Utf8JsonReader reader)
    {
        if (!_eof)
        {
            Commit(ref reader);
            return Step.NeedData;
        }
        return _layout switch
        {
            Layout.Unknown => throw Error(reader.BytesConsumed, "empty: expected a JSON array or JSON objects"),
            Layout.Array => throw Error(reader.BytesConsumed, "truncated: the array is not closed"),
            _ => Step.End,
        };
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
    }

    private void Fill()
    {
        if (_eof)
            throw Error(0, "truncated document at the end of the member");
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length && _buffer.Length >= _maxDocumentBytes)
            throw TooLarge(0);
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, (long)_maxDocumentBytes + 64 * 1024));
        var read = _input.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
    }

    private ArchiveFormatException TooLarge(long offset) =>
        Error(offset, $"document {Count + 1} is larger than the cap of {_maxDocumentBytes} bytes");

    private ArchiveFormatException Error(long offsetInWindow, string what, Exception? inner = null) =>
        new($"{_member}: {what} (at byte {_bufferOffset + _start + offsetInWindow})", inner);
}
