namespace ActorBackup.Admin.Contract.Status;

/// <summary>A status as read from a node: where from, the text it sent, and what the text says.</summary>
public sealed record StatusReading(Uri Url, string Json, ClusterStatus Status);
