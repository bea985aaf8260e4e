using ActorBackup.ReQL.Ast;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// Global optional arguments of a START query (the third element of the query array). Each value is a term on the
/// wire; <see cref="Extra"/> takes any other accepted name with a string, bool, number or <see cref="ReqlAst"/> value.
/// </summary>
public sealed record RunOptions
{
    /// <summary>Default database for the query, sent as `db: [14, [name]]`; falls back to the connection's.</summary>
    public string? Db { get; init; }

    /// <summary>"hard" or "soft".</summary>
    public string? Durability { get; init; }

    /// <summary>"single", "majority" or "outdated".</summary>
    public string? ReadMode { get; init; }

    public int? ArrayLimit { get; init; }

    /// <summary>"native" or "raw"; decoding is the caller's business either way, the documents come back as JSON.</summary>
    public string? TimeFormat { get; init; }

    public string? BinaryFormat { get; init; }

    /// <summary>Other global optargs by their snake_case wire name.</summary>
    public IReadOnlyDictionary<string, object> Extra { get; init; } = new Dictionary<string, object>();

    public static readonly RunOptions Default = new();
}
