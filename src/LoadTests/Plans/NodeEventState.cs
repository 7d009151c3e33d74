namespace PaySim.LoadTests.Plans;

internal enum NodeEventState
{
    /// <summary>An issuer node refuses connections.</summary>
    Down,

    /// <summary>An issuer node's health check says NOT_SERVING.</summary>
    NotServing,

    /// <summary>A wallet instance is killed (SIGKILL, no drain) and restarted after the event's duration.</summary>
    Crash,

    /// <summary>A wallet instance is stopped (SIGSTOP) and continued (SIGCONT) after the event's duration.</summary>
    Freeze,
}
