namespace PaySim.Simulator.Binding;

/// <summary>Bindings by id, and the card tokens they produced.</summary>
internal interface IBindingStore
{
    void Add(BindingRecord binding);

    BindingRecord? Get(string bindingId);

    /// <summary>Sets the binding's token and the code that confirmed it once; returns the token the binding ends up with.</summary>
    string Confirm(BindingRecord binding, string newToken, string code);

    /// <summary>The PAN a card token stands for, or null. A shared store may answer from a per-process cache.</summary>
    string? ResolveToken(string cardToken);

    /// <summary>
    /// Like <see cref="ResolveToken"/>, but never from a cache: for the paths that answer without the
    /// ledger's hold (which re-checks a cached token), so a token a reset cleared is unknown there too.
    /// </summary>
    string? ResolveTokenUncached(string cardToken);

    void Clear();
}
