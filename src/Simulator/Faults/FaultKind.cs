using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PaySim.Simulator.Faults;

/// <summary>
/// The base of every kind: typed options, and defaults for what most kinds do not need (no draws,
/// no per-node state, no gate, no node state, no call-time action).
/// </summary>
internal abstract class FaultKind<TOptions> : IFaultKind
    where TOptions : class
{
    public abstract string Name { get; }

    public abstract FaultKindFlags Flags { get; }

    public abstract string Example { get; }

    public object? ReadOptions(JsonElement value, string path, FaultRuleErrors errors) => Read(value, path, errors);

    public bool NeedsDraws(object options) => NeedsDraws(Options(options));

    public object? CreateState(object options, string ruleName, TimeProvider time) => CreateState(Options(options), ruleName, time);

    public bool Admits(object options, TimeSpan sinceStart, in FaultDecisionBuilder decision) => Admits(Options(options), sinceStart, in decision);

    public bool Act(in FaultFiring firing, ref FaultDecisionBuilder decision) => Act(Options(firing.Options), in firing, ref decision);

    public NodeFaultState NodeState(object options, TimeSpan sinceStart) => NodeState(Options(options), sinceStart);

    public virtual Task<object?> InterveneAsync(FaultCall call) => Task.FromResult<object?>(null);

    public override string ToString() => Name;

    protected abstract TOptions? Read(JsonElement value, string path, FaultRuleErrors errors);

    protected abstract bool Act(TOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision);

    protected virtual bool NeedsDraws(TOptions options) => false;

    protected virtual object? CreateState(TOptions options, string ruleName, TimeProvider time) => null;

    protected virtual bool Admits(TOptions options, TimeSpan sinceStart, in FaultDecisionBuilder decision) => true;

    protected virtual NodeFaultState NodeState(TOptions options, TimeSpan sinceStart) => NodeFaultState.None;

    // The options always come from this kind's own Read, so the type check a cast would do is skipped on the call path.
    private static TOptions Options(object options) => Unsafe.As<TOptions>(options);
}
