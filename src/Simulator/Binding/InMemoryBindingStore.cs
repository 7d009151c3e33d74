using System.Collections.Concurrent;

namespace PaySim.Simulator.Binding;

internal sealed class InMemoryBindingStore : IBindingStore
{
    private readonly ConcurrentDictionary<string, BindingRecord> _bindings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public void Add(BindingRecord binding) => _bindings[binding.Id] = binding;

    public BindingRecord? Get(string bindingId) => _bindings.GetValueOrDefault(bindingId);

    public string Confirm(BindingRecord binding, string newToken, string code)
    {
        lock (binding)
        {
            if (binding.CardToken is null)
            {
                binding.CardToken = newToken;
                binding.ConfirmedCode = code;
                _tokens[newToken] = binding.Pan;
            }

            return binding.CardToken;
        }
    }

    public string? ResolveToken(string cardToken) => _tokens.GetValueOrDefault(cardToken);

    public string? ResolveTokenUncached(string cardToken) => ResolveToken(cardToken);

    public void Clear()
    {
        _bindings.Clear();
        _tokens.Clear();
    }
}
