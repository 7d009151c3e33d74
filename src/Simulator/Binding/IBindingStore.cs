namespace PaySim.Simulator.Binding;

/// <summary>Bindings by id, and the card tokens they produced.</summary>
internal interface IBindingStore
{
    void Add(BindingRecord binding);

    BindingRecord? Get(string bindingId);

    /// <summary>Sets the binding's token once; returns the token the binding ends up with.</summary>
    string Confirm(BindingRecord binding, string newToken);

    /// <summary>The PAN a card token stands for, or null.</summary>
    string? ResolveToken(string cardToken);

    void Clear();
}
