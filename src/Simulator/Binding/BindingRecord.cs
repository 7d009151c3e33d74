namespace PaySim.Simulator.Binding;

/// <summary>A pending or confirmed card binding. Mutable fields are guarded by locking the record.</summary>
internal sealed class BindingRecord(string id, string pan, DateTimeOffset createdAt)
{
    public string Id { get; } = id;
    public string Pan { get; } = pan;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string? CardToken { get; set; }

    /// <summary>The code that confirmed the binding (set with <see cref="CardToken"/>): a replay of it answers the token, another code does not.</summary>
    public string? ConfirmedCode { get; set; }
}
