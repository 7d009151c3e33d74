using System.Collections.Concurrent;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Scenarios;

/// <summary>The cardholders and prepared users the scenarios draw from; read-only once the load starts.</summary>
internal sealed class ScenarioData
{
    private readonly IReadOnlyDictionary<string, SimCardholder[]> _byPersona;
    private readonly (string Persona, double Weight)[] _personaWeights;
    private readonly long[] _cursors;
    private readonly string[] _personaOrder;
    private readonly ConcurrentQueue<WalletUser> _resetUsers = new();
    private long _phones;

    public ScenarioData(string runId, int seed, IReadOnlyDictionary<string, double> personas, IReadOnlyDictionary<string, SimCardholder[]> byPersona, IReadOnlyList<PreboundCard> prebound, long phoneBase)
    {
        RunId = runId;
        Seed = seed;
        _byPersona = byPersona;
        _personaWeights = personas.Where(p => byPersona.TryGetValue(p.Key, out var list) && list.Length > 0).Select(p => (p.Key, p.Value)).ToArray();
        _personaOrder = _personaWeights.Select(p => p.Persona).ToArray();
        _cursors = new long[_personaOrder.Length];
        Prebound = prebound;
        PhoneBase = phoneBase;
    }

    public string RunId { get; }

    public int Seed { get; }

    public long PhoneBase { get; }

    public IReadOnlyList<PreboundCard> Prebound { get; }

    public bool HasCardholders => _personaWeights.Length > 0;

    /// <summary>The simulator's merchants the qr-pay scenario pays (read once before the load); empty when the plan pays none.</summary>
    public IReadOnlyList<SimMerchant> Merchants { get; init; } = [];

    /// <summary>Registered users (no card) the password-reset scenario resets, made before the load; one iteration holds each at a time.</summary>
    public IReadOnlyCollection<WalletUser> ResetUsers
    {
        get => _resetUsers.ToArray();
        init
        {
            foreach (var user in value)
            {
                _resetUsers.Enqueue(user);
            }
        }
    }

    /// <summary>A reset user no other iteration holds, or null when all are held (the scenario then registers one more).</summary>
    public WalletUser? TakeResetUser() => _resetUsers.TryDequeue(out var user) ? user : null;

    /// <summary>Gives a reset user back, with the session it ended up with (its old one when the reset did not get that far).</summary>
    public void ReturnResetUser(WalletUser user) => _resetUsers.Enqueue(user);

    /// <summary>A persona drawn by the plan's mix, then the next unused cardholder of it (cycling when all are used).</summary>
    public SimCardholder NextCardholder(double unit)
    {
        var persona = Draw.Weighted(_personaWeights, unit);
        var index = Array.IndexOf(_personaOrder, persona);
        var list = _byPersona[persona];
        var n = Interlocked.Increment(ref _cursors[index]) - 1;
        return list[(int)(n % list.Length)];
    }

    /// <summary>A fresh mainland mobile number per registration: unique within the run and, via the base, across runs.</summary>
    public string NextPhone()
    {
        var n = Interlocked.Increment(ref _phones);
        return "13" + ((PhoneBase + n) % 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
    }
}
