namespace ActorBackup.ReQL.Errors;

/// <summary>COMPILE_ERROR (17): the query is malformed (unknown optarg, wrong arity). Retrying cannot help.</summary>
public sealed class ReqlCompileError : ReqlError
{
    public ReqlCompileError(string message) : base(message) { }

    public override bool IsTransient => false;
}
