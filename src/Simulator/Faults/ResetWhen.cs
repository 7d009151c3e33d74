namespace PaySim.Simulator.Faults;

public enum ResetWhen
{
    /// <summary>The stream is aborted before the handler runs: nothing happened.</summary>
    Before,

    /// <summary>The handler ran (money moved) and then the stream is aborted: the reply is lost.</summary>
    After,
}
