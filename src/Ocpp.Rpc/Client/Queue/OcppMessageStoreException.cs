namespace Ocpp.Rpc.Client;

/// <summary>Why a message store could not be used.</summary>
public enum OcppMessageStoreFailure
{
    /// <summary>The file is not a store, or its content is damaged; nothing was changed in it.</summary>
    Corrupted = 1,

    /// <summary>Another process (or another store instance) holds the file.</summary>
    Locked = 2,

    /// <summary>The file could not be opened, read or written (permissions, disk full, a newer schema, an I/O error).</summary>
    Unavailable = 3,
}

/// <summary>A message store could not be opened, read or written. Never swallowed: a queued message is never silently lost.</summary>
public sealed class OcppMessageStoreException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">What kind of failure.</param>
    /// <param name="message">What went wrong, naming the store.</param>
    /// <param name="innerException">The cause.</param>
    public OcppMessageStoreException(OcppMessageStoreFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What kind of failure.</summary>
    public OcppMessageStoreFailure Failure { get; }

    /// <summary>True for a locked store (the other holder may let go); false for a corrupted or unusable one.</summary>
    public override bool IsTransient => Failure == OcppMessageStoreFailure.Locked;
}
