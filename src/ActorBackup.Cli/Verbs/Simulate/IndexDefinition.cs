using ActorBackup.ReQL.Ast;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>One secondary index: its table, name, the ReQL function it indexes, and whether it is a multi index.</summary>
internal sealed record IndexDefinition(string Table, string Name, Func<ReqlExpr, ReqlExpr> Function, bool Multi = false);
