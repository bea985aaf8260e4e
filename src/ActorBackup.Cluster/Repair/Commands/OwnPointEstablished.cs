using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>
/// The replica established <paramref name="Point"/> by its own evidence: today its own capture (a checkpoint of a live
/// feed, confirmed by the journal); a reconciliation with the source is the other evidence that belongs here. The
/// <see cref="RepairActor"/> offers its siblings this point, never a watermark it was given by repair. Local only, from
/// the replica's capture actor.
/// </summary>
public sealed record OwnPointEstablished(Watermark Point);
