using System.Text;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>The stable quarantine reason codes operators filter on: the validator's reasons in kebab case, plus capture's own.</summary>
public static class ReasonCodes
{
    /// <summary>The document has no string id in this replica's range (or one that cannot be stored), so it is kept under a derived key.</summary>
    public const string UnusableId = "unusable-id";

    /// <summary>e.g. <see cref="InvalidReason.SignatureMismatch"/> → "signature-mismatch".</summary>
    public static string Of(InvalidReason reason)
    {
        var name = reason.ToString();
        var code = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && code.Length > 0) code.Append('-');
            code.Append(char.ToLowerInvariant(c));
        }
        return code.ToString();
    }
}
