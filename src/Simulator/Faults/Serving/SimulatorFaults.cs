using System.Text;
using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Nodes;
using PaySim.Simulator.State;

namespace PaySim.Simulator.Faults.Serving;

/// <summary>
/// The fault engine as the simulator host runs it: the engine, its seat in the call pipeline and
/// in SMS delivery, the node-state scheduler, and the control-plane operations (HTTP and gRPC
/// both call these, so they answer the same).
/// </summary>
internal sealed class SimulatorFaults : IAsyncDisposable
{
    private readonly NodeFaultScheduler _scheduler;

    /// <param name="state">Lets rules on <c>pan</c>/<c>panPrefix</c>/<c>phone</c> match calls that name the card by token or binding id.</param>
    public SimulatorFaults(FaultEngineOptions options, INodeControl nodes, IReadOnlyList<string> nodeNames, string smsNode, TimeSpan otpTtl, IIssuerState? state = null)
    {
        Engine = new FaultEngine(options);
        Hook = new FaultCallHook(Engine, options.TimeProvider, state);
        SmsPolicy = new FaultSmsPolicy(Engine, smsNode, otpTtl);
        _scheduler = new NodeFaultScheduler(Engine, nodeNames, new FaultNodeTarget(nodes));
    }

    public FaultEngine Engine { get; }

    public FaultCallHook Hook { get; }

    public FaultSmsPolicy SmsPolicy { get; }

    /// <summary>Runs after every successful control-plane change of the rules (not after remote or reset changes): shared state publishes here.</summary>
    public Action? Changed { get; set; }

    public event Action<string, NodeFaultState, Exception>? NodeStateFailed
    {
        add => _scheduler.ApplyFailed += value;
        remove => _scheduler.ApplyFailed -= value;
    }

    /// <summary>Starts the node-state scheduler; call once the nodes listen.</summary>
    public void Start() => _scheduler.Start();

    public FaultsReply List() => Reply();

    /// <summary>Throws <see cref="FaultRuleException"/> (nothing applied) for a bad rule.</summary>
    public FaultsReply Apply(string json)
    {
        Engine.Apply(json);
        Changed?.Invoke();
        return Reply();
    }

    /// <summary>Throws <see cref="KeyNotFoundException"/> for an unknown name.</summary>
    public FaultsReply Clear(string? name)
    {
        if (Engine.Clear(name) == 0 && !string.IsNullOrEmpty(name))
        {
            throw new KeyNotFoundException($"no fault rule named '{name}'; rules: {string.Join(", ", Engine.Rules.Select(r => r.Name).DefaultIfEmpty("(none)"))}");
        }

        Changed?.Invoke();
        return Reply();
    }

    /// <summary>A shipped profile by name; paths are refused (a remote caller must not read files).</summary>
    public FaultsReply LoadProfile(string name)
    {
        Engine.Apply(FaultProfiles.Load(name, Engine.Context, allowPaths: false));
        Changed?.Invoke();
        return Reply();
    }

    /// <summary>Adds the engine's exact per-node, per-method and per-rule injection counts to a stats reply.</summary>
    public void AddTo(StatsReply reply)
    {
        var stats = Engine.GetStats();
        foreach (var counter in stats.Counters)
        {
            var node = reply.Nodes.FirstOrDefault(n => n.Name == counter.Node);
            if (node is null)
            {
                node = new NodeStats { Name = counter.Node };
                reply.Nodes.Add(node);
            }

            var method = node.Methods.FirstOrDefault(m => m.Method == counter.Method);
            if (method is null)
            {
                method = new MethodStats { Method = counter.Method };
                node.Methods.Add(method);
            }

            var kind = counter.Kind.Name;
            method.Faults[kind] = method.Faults.TryGetValue(kind, out var n) ? n + counter.Injections : counter.Injections;
        }

        foreach (var (rule, injections) in stats.ByRule())
        {
            reply.Rules[rule] = reply.Rules.TryGetValue(rule, out var n) ? n + injections : injections;
        }
    }

    /// <summary>The journal as JSON lines for GET /v1/journal.</summary>
    public IReadOnlyList<FaultJournalEntry> Journal() => Engine.Journal.Snapshot();

    public async ValueTask DisposeAsync() => await _scheduler.DisposeAsync().ConfigureAwait(false);

    private FaultsReply Reply()
    {
        var rules = Engine.Rules;
        var json = new StringBuilder("[");
        for (var i = 0; i < rules.Count; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append(rules[i].Json);
        }

        return new FaultsReply { RulesJson = json.Append(']').ToString(), Count = rules.Count };
    }
}
