using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Scratch;

/// <summary>The live source a scratch restore is also compared with: its records up to the restored point, table by table.</summary>
public sealed record ComparedSource(ConnectionOptions Server, string Database);
