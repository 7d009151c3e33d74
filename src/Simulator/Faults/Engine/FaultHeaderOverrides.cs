using Grpc.Core;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// x-sim-fault (force a named rule), x-sim-delay-ms and x-sim-status on one call. They come before
/// every rule; an x-sim-delay-ms counts as a latency, an x-sim-status or an unknown rule name as an error.
/// A malformed value is refused with INVALID_ARGUMENT naming the header; with a header token
/// (--control-token) a call without <c>x-sim-token</c> is refused with PERMISSION_DENIED.
/// </summary>
internal sealed class FaultHeaderOverrides(FaultCounters counters, string? token = null)
{
    private readonly string _unknownRulePrefix = $"{FaultDefaults.MessagePrefix}{FaultDefaults.HeaderFault} names no active rule: ";

    private readonly byte[]? _token = string.IsNullOrEmpty(token) ? null : System.Text.Encoding.UTF8.GetBytes(token);

    public void Apply(FaultIndex index, Metadata headers, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        if (_token is not null && !TokenAccepted(headers))
        {
            if (HasOverride(headers) && !decision.HasTerminal)
            {
                Refuse(StatusCode.PermissionDenied, $"{FaultDefaults.MessagePrefix}x-sim-* overrides need '{FaultDefaults.HeaderToken}: <control token>' on this simulator (it runs with --control-token)", ref decision, ref firings);
            }

            return;
        }

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
                if (int.TryParse(entry.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                    && ms <= FaultDefaults.MaxDelayMs)
                {
                    decision.Latency += TimeSpan.FromMilliseconds(ms);
                    decision.Note(FaultDefaults.HeaderDelayMs, LatencyKind.Instance);
                    firings.FromHeader(LatencyKind.Instance);
                }
                else if (!decision.HasTerminal)
                {
                    Refuse(StatusCode.InvalidArgument, $"{FaultDefaults.MessagePrefix}{FaultDefaults.HeaderDelayMs} '{Clip(entry.Value)}' must be a whole number of milliseconds from 0 to {FaultDefaults.MaxDelayMs}", ref decision, ref firings);
                }
            }
            else if (key == FaultDefaults.HeaderStatus)
            {
                if (decision.HasTerminal)
                {
                    continue;
                }

                if (GrpcStatusNames.TryParse(entry.Value, out var status))
                {
                    decision.Terminal(FaultAction.Error, FaultDefaults.HeaderStatus, ErrorKind.Instance);
                    decision.Status = status;
                    decision.Message = FaultDefaults.MessagePrefix + FaultDefaults.HeaderStatus;
                    firings.FromHeader(ErrorKind.Instance);
                }
                else
                {
                    Refuse(StatusCode.InvalidArgument, $"{FaultDefaults.MessagePrefix}{FaultDefaults.HeaderStatus} '{Clip(entry.Value)}' is not a gRPC status other than OK; allowed: {GrpcStatusNames.Allowed} (or the number)", ref decision, ref firings);
                }
            }
        }
    }

    private static void Refuse(StatusCode status, string message, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        decision.Terminal(FaultAction.Error, "x-sim-*", ErrorKind.Instance);
        decision.Status = status;
        decision.Message = message;
        firings.FromHeader(ErrorKind.Instance);
    }

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static bool HasOverride(Metadata headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var key = headers[i].Key;
            if (key is FaultDefaults.HeaderFault or FaultDefaults.HeaderDelayMs or FaultDefaults.HeaderStatus)
            {
                return true;
            }
        }

        return false;
    }

    private bool TokenAccepted(Metadata headers)
    {
        var value = headers.GetValue(FaultDefaults.HeaderToken);
        return value is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(value), _token);
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
