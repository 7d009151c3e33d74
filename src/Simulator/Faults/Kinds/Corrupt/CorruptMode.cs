namespace PaySim.Simulator.Faults.Kinds.Corrupt;

/// <summary>How a reply's bytes are damaged on their way out.</summary>
internal enum CorruptMode
{
    /// <summary>The message keeps its length, its bytes become garbage that no protobuf parser accepts.</summary>
    Garble,

    /// <summary>The message's frame promises more bytes than arrive before the stream ends.</summary>
    Truncate,
}
