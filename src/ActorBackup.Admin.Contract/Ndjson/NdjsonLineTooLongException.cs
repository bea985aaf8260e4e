namespace ActorBackup.Admin.Contract.Ndjson;

/// <summary>A line of an NDJSON stream is longer than the reader accepts.</summary>
public sealed class NdjsonLineTooLongException(long line, int maxLineBytes)
    : Exception($"line {line} is longer than {maxLineBytes} bytes, the most one document may have")
{
    public long Line { get; } = line;
}
