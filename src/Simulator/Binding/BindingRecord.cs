namespace PaySim.Simulator.Binding;

/// <summary>A pending or confirmed card binding. Mutable fields are guarded by locking the record.</summary>
internal sealed class BindingRecord(string id, string pan, DateTimeOffset createdAt)
{
    public string Id { get; } = id;
    public string Pan { get; } = pan;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string? CardToken { get; set; }
}
