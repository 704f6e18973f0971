namespace LiveCloud.Http;

/// <summary>Whether a vendor call may be repeated after a failure that leaves its outcome unknown.</summary>
public enum OperationSafety
{
    /// <summary>A read: repeating it changes nothing; retried on transient failures.</summary>
    Read,

    /// <summary>A write the vendor documents as idempotent (e.g. "dropping an inactive stream succeeds"); retried.</summary>
    IdempotentWrite,

    /// <summary>A write that may not be repeated (it could run twice); never retried.</summary>
    Write,
}

/// <summary>Names one vendor API call for retries, logs and traces.</summary>
/// <param name="Name">The vendor's action name, e.g. <c>DescribeLiveDomains</c>.</param>
/// <param name="Safety">Whether it may be retried.</param>
public readonly record struct VendorOperation(string Name, OperationSafety Safety)
{
    /// <summary>A read operation.</summary>
    public static VendorOperation Read(string name) => new(name, OperationSafety.Read);

    /// <summary>A documented-idempotent write.</summary>
    public static VendorOperation IdempotentWrite(string name) => new(name, OperationSafety.IdempotentWrite);

    /// <summary>A write that is never retried.</summary>
    public static VendorOperation Write(string name) => new(name, OperationSafety.Write);

    /// <summary>Whether a transient failure of this operation may be retried.</summary>
    public bool IsRetryable => Safety != OperationSafety.Write;
}
