namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>What a <see cref="SharedCatchUp"/> hands one joined attempt (<see cref="CatchUpMember"/>).</summary>
internal abstract record CatchUpRow;

/// <summary>A document of the attempt's key range at or after its own scan point, as the source serialized it.</summary>
internal sealed record CatchUpDocument(ReadOnlyMemory<byte> Json) : CatchUpRow;

/// <summary>
/// The read could not use the source's indexes (one is missing, or the server failed the index read) for
/// <paramref name="Reason"/>: the attempt reads its own key range instead. Nothing follows it.
/// </summary>
internal sealed record CatchUpFallback(string Reason) : CatchUpRow;
