using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Faults.Kinds.Decline;

/// <summary>Decline reasons by their proto names (PHONE_MISMATCH), read from the contract so new reasons work at once.</summary>
public static class DeclineReasonNames
{
    private static readonly (string Name, DeclineReason Reason)[] Reasons = IssuerReflection.Descriptor.EnumTypes
        .Single(e => e.Name == nameof(DeclineReason))
        .Values
        .Where(v => v.Number != 0)
        .Select(v => (v.Name, (DeclineReason)v.Number))
        .ToArray();

    public static string Allowed { get; } = string.Join(", ", Reasons.Select(r => r.Name));

    public static bool TryParse(string? text, out DeclineReason reason)
    {
        foreach (var entry in Reasons)
        {
            if (string.Equals(entry.Name, text, StringComparison.OrdinalIgnoreCase))
            {
                reason = entry.Reason;
                return true;
            }
        }

        reason = DeclineReason.Unspecified;
        return false;
    }

    public static string Name(DeclineReason reason)
    {
        foreach (var entry in Reasons)
        {
            if (entry.Reason == reason)
            {
                return entry.Name;
            }
        }

        return "DECLINE_REASON_UNSPECIFIED";
    }
}
