namespace ActorBackup.Admin.Contract.Import;

/// <summary>Why one imported document was quarantined: the key it is kept under, the reason code and the one-line message.</summary>
public sealed record QuarantineNote(string Id, string Reason, string Message);
