namespace ActorBackup.ReQL.Errors;

/// <summary>
/// RUNTIME_ERROR (18) and its ErrorType subclasses. The base class is used for an unknown or missing `e`
/// (reqlite never sends `e`) and for responses that lack `t`.
/// </summary>
public class ReqlRuntimeError : ReqlError
{
    public ReqlRuntimeError(string message) : base(message) { }

    public override bool IsTransient => false;
}

/// <summary>INTERNAL: a server bug.</summary>
public sealed class ReqlInternalError(string message) : ReqlRuntimeError(message);

/// <summary>RESOURCE_LIMIT: e.g. array size limit exceeded; the same query fails again.</summary>
public sealed class ReqlResourceLimitError(string message) : ReqlRuntimeError(message);

/// <summary>QUERY_LOGIC: the query is wrong for the data (type mismatch, missing field).</summary>
public class ReqlQueryLogicError(string message) : ReqlRuntimeError(message);

/// <summary>NON_EXISTENCE: a database, table or index does not exist.</summary>
public sealed class ReqlNonExistenceError(string message) : ReqlQueryLogicError(message);

/// <summary>USER: raised by r.error() in the query.</summary>
public sealed class ReqlUserError(string message) : ReqlRuntimeError(message);

/// <summary>PERMISSION_ERROR: the user lacks a permission.</summary>
public sealed class ReqlPermissionError(string message) : ReqlRuntimeError(message);

/// <summary>Availability errors: the cluster could not serve the query now; the query itself was fine.</summary>
public abstract class ReqlAvailabilityError(string message) : ReqlRuntimeError(message)
{
    public override bool IsTransient => true;
}

/// <summary>OP_FAILED: the operation certainly did not happen (e.g. table unavailable, changefeed aborted). Safe to retry.</summary>
public sealed class ReqlOpFailedError(string message) : ReqlAvailabilityError(message);

/// <summary>OP_INDETERMINATE: the operation may or may not have happened; retry only idempotent work.</summary>
public sealed class ReqlOpIndeterminateError(string message) : ReqlAvailabilityError(message);
