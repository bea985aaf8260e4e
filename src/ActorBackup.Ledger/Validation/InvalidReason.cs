namespace ActorBackup.Ledger.Validation;

/// <summary>Why a document was rejected. <see cref="None"/> means it is valid.</summary>
public enum InvalidReason
{
    None = 0,
    TooLarge,
    NotJson,
    DuplicateKey,
    NotAnObject,
    MissingField,
    WrongFieldType,
    BadTimestamp,
    BadBlockId,
    IdMismatch,
    BadBase58,
    BadKeyLength,
    BadSignatureLength,
    SignatureMismatch,
    SignerNotInFederation,
    VoterNotInFederation,
    BadVoters,
    SignerNotInVoters,
    EmptyBlock,
    UnknownTransactionLayout,
    TransactionIdMismatch,
    BadFulfillment,
    UnsupportedFulfillment,
    FulfillmentKeyNotOwner,
    TransactionSignatureMismatch,
    /// <summary>The validator itself failed on the document (a bug); the document is kept, not trusted.</summary>
    ValidatorFault,
}
