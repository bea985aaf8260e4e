using System.Text.Json;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// One decoded response frame. The JSON document is parsed over the frame's own bytes and never disposed, so its
/// elements stay valid for as long as callers hold them and every number keeps the exact text the server sent.
/// </summary>
public sealed class Response
{
    /// <summary>
    /// No nesting limit: a frame carries the documents of many queries that share the connection, so one deeply nested
    /// document must reach its caller as a value to refuse, not break the connection under every other query. What the
    /// parser holds is bounded by the frame cap, checked before the frame is read.
    /// </summary>
    private static readonly JsonDocumentOptions FrameOptions = new() { MaxDepth = int.MaxValue };

    private Response(ulong token, int? type, JsonElement data, IReadOnlyList<ResponseNote> notes, int? errorType, JsonElement? backtrace)
    {
        Token = token;
        RawType = type;
        Data = data;
        Notes = notes;
        RawErrorType = errorType;
        Backtrace = backtrace;
    }

    public ulong Token { get; }

    /// <summary>The `t` field as sent; null when missing (reqlite's crashed queries).</summary>
    public int? RawType { get; }

    public ResponseType? Type => RawType is { } t && Enum.IsDefined((ResponseType)t) ? (ResponseType)t : null;

    /// <summary>The `r` array.</summary>
    public JsonElement Data { get; }

    public IReadOnlyList<ResponseNote> Notes { get; }

    /// <summary>The `e` field (RUNTIME_ERROR only; never sent by reqlite).</summary>
    public int? RawErrorType { get; }

    public JsonElement? Backtrace { get; }

    /// <summary>True for SUCCESS_PARTIAL: more batches follow on CONTINUE.</summary>
    public bool IsPartial => RawType == (int)ResponseType.SuccessPartial;

    public bool IsFeed => Notes.Any(n => n is ResponseNote.SequenceFeed or ResponseNote.AtomFeed or ResponseNote.OrderByLimitFeed or ResponseNote.UnionedFeed);

    public bool IsError => RawType is null or >= (int)ResponseType.ClientError || Type is null;

    /// <summary>Parses a frame's payload; anything but a JSON object with an `r` array is a protocol violation.</summary>
    public static Response Parse(ulong token, ReadOnlyMemory<byte> payload)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload, FrameOptions);
        }
        catch (JsonException e)
        {
            throw new ReqlDriverError($"The response for token {token} is not valid JSON ({payload.Length} bytes): {e.Message}");
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("r", out var data) || data.ValueKind != JsonValueKind.Array)
            throw new ReqlDriverError($"The response for token {token} is not an object with an `r` array: {Excerpt(root)}");
        int? type = null;
        if (root.TryGetProperty("t", out var t))
            type = t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var n) ? n : throw new ReqlDriverError($"The response for token {token} has a non-integer `t`: {Excerpt(root)}");
        var notes = new List<ResponseNote>();
        if (root.TryGetProperty("n", out var n2) && n2.ValueKind == JsonValueKind.Array)
            foreach (var note in n2.EnumerateArray())
                if (note.ValueKind == JsonValueKind.Number && note.TryGetInt32(out var v)) notes.Add((ResponseNote)v);
        int? errorType = root.TryGetProperty("e", out var e2) && e2.ValueKind == JsonValueKind.Number && e2.TryGetInt32(out var ev) ? ev : null;
        JsonElement? backtrace = root.TryGetProperty("b", out var b) ? b : null;
        return new Response(token, type, data, notes, errorType, backtrace);
    }

    /// <summary>The error this response stands for, following the server's taxonomy.</summary>
    public ReqlError ToError()
    {
        var message = Data.GetArrayLength() > 0 && Data[0].ValueKind == JsonValueKind.String
            ? Data[0].GetString()!
            : Excerpt(Data);
        return RawType switch
        {
            null => new ReqlRuntimeError(message),
            (int)ResponseType.ClientError => new ReqlClientError(message),
            (int)ResponseType.CompileError => new ReqlCompileError(message),
            (int)ResponseType.RuntimeError => RuntimeError(message),
            _ => new ReqlDriverError($"Unknown response type {RawType} for token {Token}: {message}"),
        };
    }

    private ReqlRuntimeError RuntimeError(string message) => (ErrorType?)RawErrorType switch
    {
        ErrorType.Internal => new ReqlInternalError(message),
        ErrorType.ResourceLimit => new ReqlResourceLimitError(message),
        ErrorType.QueryLogic => new ReqlQueryLogicError(message),
        ErrorType.NonExistence => new ReqlNonExistenceError(message),
        ErrorType.OpFailed => new ReqlOpFailedError(message),
        ErrorType.OpIndeterminate => new ReqlOpIndeterminateError(message),
        ErrorType.User => new ReqlUserError(message),
        ErrorType.PermissionError => new ReqlPermissionError(message),
        _ => new ReqlRuntimeError(message),
    };

    private static string Excerpt(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
