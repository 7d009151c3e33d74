using Grpc.Core;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// x-sim-fault (force a named rule), x-sim-delay-ms and x-sim-status on one call. They come before
/// every rule; an x-sim-delay-ms counts as a latency, an x-sim-status as an error.
/// A malformed value or an x-sim-fault naming no active rule is the caller's mistake, not a fault: the
/// call is refused with INVALID_ARGUMENT naming the header, nothing is applied or counted, and
/// maxActiveFaults does not let it through. With a header token (--control-token) a call with an
/// override but without <c>x-sim-token</c> is refused the same way with PERMISSION_DENIED.
/// </summary>
internal sealed class FaultHeaderOverrides(FaultCounters counters, string? token = null)
{
    private readonly byte[]? _token = string.IsNullOrEmpty(token) ? null : System.Text.Encoding.UTF8.GetBytes(token);

    /// <summary>Applies the overrides, or leaves a refusal (<see cref="FaultDecisionBuilder.Refused"/>) and nothing else.</summary>
    public void Apply(FaultIndex index, Metadata headers, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        if (_token is not null && !TokenAccepted(headers))
        {
            if (HasOverride(headers))
            {
                Refuse(StatusCode.PermissionDenied, $"x-sim-* overrides need '{FaultDefaults.HeaderToken}: <control token>' on this simulator (it runs with --control-token)", ref decision, ref firings);
            }

            return;
        }

        // Check every override before acting on any: a refused call forces no rule and draws nothing.
        if (Problem(index, headers) is { } problem)
        {
            Refuse(StatusCode.InvalidArgument, problem, ref decision, ref firings);
            return;
        }

        for (var i = 0; i < headers.Count; i++)
        {
            var entry = headers[i];
            if (!IsOverride(entry))
            {
                continue;
            }

            if (entry.Key == FaultDefaults.HeaderFault)
            {
                Force(index, entry.Value, in request, ref decision, ref firings);
            }
            else if (entry.Key == FaultDefaults.HeaderDelayMs)
            {
                _ = TryDelay(entry.Value, out var ms);
                decision.Latency += TimeSpan.FromMilliseconds(ms);
                decision.Note(FaultDefaults.HeaderDelayMs, LatencyKind.Instance);
                firings.FromHeader(LatencyKind.Instance);
            }
            else if (entry.Key == FaultDefaults.HeaderStatus && !decision.HasTerminal)
            {
                _ = GrpcStatusNames.TryParse(entry.Value, out var status);
                decision.Terminal(FaultAction.Error, FaultDefaults.HeaderStatus, ErrorKind.Instance);
                decision.Status = status;
                decision.Message = FaultDefaults.MessagePrefix + FaultDefaults.HeaderStatus;
                firings.FromHeader(ErrorKind.Instance);
            }
        }
    }

    private static bool IsOverride(Metadata.Entry entry) =>
        !entry.IsBinary && entry.Key is FaultDefaults.HeaderFault or FaultDefaults.HeaderDelayMs or FaultDefaults.HeaderStatus;

    private static bool TryDelay(string value, out int ms) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ms)
        && ms <= FaultDefaults.MaxDelayMs;

    // The first malformed override, as the line the caller gets; null when every one is well formed.
    private static string? Problem(FaultIndex index, Metadata headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var entry = headers[i];
            if (!IsOverride(entry))
            {
                continue;
            }

            var value = entry.Value;
            switch (entry.Key)
            {
                case FaultDefaults.HeaderFault when !index.ByName.TryGetValue(value, out var state) || state.Rule.Kind.Flags.HasFlag(FaultKindFlags.NodeStateOnly):
                    return $"{FaultDefaults.HeaderFault} '{Clip(value)}' names no active rule that acts on a call; GET /v1/faults lists the rules";
                case FaultDefaults.HeaderDelayMs when !TryDelay(value, out _):
                    return $"{FaultDefaults.HeaderDelayMs} '{Clip(value)}' must be a whole number of milliseconds from 0 to {FaultDefaults.MaxDelayMs}";
                case FaultDefaults.HeaderStatus when !GrpcStatusNames.TryParse(value, out _):
                    return $"{FaultDefaults.HeaderStatus} '{Clip(value)}' is not a gRPC status other than OK; allowed: {GrpcStatusNames.Allowed} (or the number)";
            }
        }

        return null;
    }

    private static void Refuse(StatusCode status, string message, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        decision = default;
        firings = default;
        decision.Terminal(FaultAction.Error, null, ErrorKind.Instance);
        decision.Status = status;
        decision.Message = message;
        decision.Refused = true;
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

    // The named rule (checked to exist) acts on this call whatever its selection, schedule, probability or times, on its own slot and draws.
    private void Force(FaultIndex index, string name, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        var state = index.ByName[name];
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
}
