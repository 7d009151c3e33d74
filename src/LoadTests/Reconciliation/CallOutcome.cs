namespace PaySim.LoadTests.Reconciliation;

/// <summary>How one money call the app made ended, as the app saw it.</summary>
internal enum CallOutcome
{
    /// <summary>2xx: the wallet said it is done.</summary>
    Succeeded,

    /// <summary>4xx: the wallet said no (a decline, a bad request).</summary>
    Rejected,

    /// <summary>409 payment_in_progress: the wallet is still working on the same key; neither yes nor no.</summary>
    InProgress,

    /// <summary>5xx: the wallet failed; whether money moved is unknown to the app.</summary>
    ServerError,

    /// <summary>No reply within the client's timeout.</summary>
    Timeout,

    /// <summary>No reply at all: connection refused or reset.</summary>
    NoAnswer,
}
