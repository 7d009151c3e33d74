using Grpc.Core;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// x-sim-fault (force a named rule), x-sim-delay-ms and x-sim-status on one call. They come before
/// every rule; an x-sim-delay-ms counts as a latency, an x-sim-status or an unknown rule name as an error.
/// </summary>
internal sealed class FaultHeaderOverrides(FaultCounters counters)
{
    private readonly string _unknownRulePrefix = $"{FaultDefaults.MessagePrefix}{FaultDefaults.HeaderFault} names no active rule: ";

    public void Apply(FaultIndex index, Metadata headers, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var entry = headers[i];
            var key = entry.Key;
            if (key.Length < 6 || !key.StartsWith("x-sim-", StringComparison.Ordinal) || entry.IsBinary)
            {
                continue;
            }

            if (key == FaultDefaults.HeaderFault)
            {
                Force(index, entry.Value, in request, ref decision, ref firings);
            }
            else if (key == FaultDefaults.HeaderDelayMs)
            {
                if (int.TryParse(entry.Value, out var ms) && ms >= 0)
                {
                    decision.Latency += TimeSpan.FromMilliseconds(Math.Min(ms, FaultDefaults.MaxDelayMs));
                    decision.Note(FaultDefaults.HeaderDelayMs, LatencyKind.Instance);
                    firings.FromHeader(LatencyKind.Instance);
                }
            }
            else if (key == FaultDefaults.HeaderStatus)
            {
                if (!decision.HasTerminal && GrpcStatusNames.TryParse(entry.Value, out var status))
                {
                    decision.Terminal(FaultAction.Error, FaultDefaults.HeaderStatus, ErrorKind.Instance);
                    decision.Status = status;
                    decision.Message = FaultDefaults.MessagePrefix + FaultDefaults.HeaderStatus;
                    firings.FromHeader(ErrorKind.Instance);
                }
            }
        }
    }

    // The named rule acts on this call whatever its selection, schedule, probability or times, on its own slot and draws.
    private void Force(FaultIndex index, string name, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        if (index.ByName.TryGetValue(name, out var state) && !state.Rule.Kind.Flags.HasFlag(FaultKindFlags.NodeStateOnly))
        {
            var slot = index.Forced[state];
            if (decision.HasTerminal && slot.IsTerminal)
            {
                return;
            }

            var sequence = Interlocked.Increment(ref slot.ForcedSequence);
            var kind = firings.Injections == 0 ? state.Rule.Kind : firings.HeaderKind;
            slot.Act(sequence, 1.0, now: 0, forced: true, ref decision);
            firings.Add(slot, counters, in request);
            firings.HeaderKind = kind;
        }
        else if (!decision.HasTerminal)
        {
            // Asked for a fault that does not exist: say so rather than silently pass.
            decision.Terminal(FaultAction.Error, FaultDefaults.HeaderFault, ErrorKind.Instance);
            decision.Status = StatusCode.InvalidArgument;
            decision.Message = _unknownRulePrefix + name;
            firings.FromHeader(ErrorKind.Instance);
        }
    }
}
