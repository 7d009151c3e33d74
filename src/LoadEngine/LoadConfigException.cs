namespace PaySim.LoadEngine;

/// <summary>
/// A configuration error the user can fix (bad threshold, bad simulation, duplicate name).
/// The message is one line naming the field and what is allowed; command lines map it to exit code 2.
/// </summary>
public sealed class LoadConfigException : Exception
{
    public LoadConfigException(string message)
        : base(message)
    {
    }

    public LoadConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
