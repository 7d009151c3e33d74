namespace PaySim.Simulator.Cardholders;

internal static class Personas
{
    /// <summary>The generated personas, in the order weights are drawn (magic cards are fixed, not drawn).</summary>
    public static readonly Persona[] Generated =
    [
        Persona.Healthy, Persona.LowBalance, Persona.Expired, Persona.Blocked, Persona.PhoneMismatch,
        Persona.IdMismatch, Persona.NameMismatch, Persona.SmsUnreachable, Persona.SlowSms,

        // Risk personas, last and without a default weight, so the default registry stays what it was.
        Persona.RiskFlagged, Persona.FrequentPayer,
    ];

    public static string Name(Persona persona) => persona switch
    {
        Persona.Healthy => "healthy",
        Persona.LowBalance => "low-balance",
        Persona.Expired => "expired",
        Persona.Blocked => "blocked",
        Persona.PhoneMismatch => "phone-mismatch",
        Persona.IdMismatch => "id-mismatch",
        Persona.NameMismatch => "name-mismatch",
        Persona.SmsUnreachable => "sms-unreachable",
        Persona.SlowSms => "slow-sms",
        Persona.Magic => "magic",
        Persona.RiskFlagged => "risk-flagged",
        Persona.FrequentPayer => "frequent-payer",
        _ => throw new ArgumentOutOfRangeException(nameof(persona)),
    };

    public static bool TryParse(string? name, out Persona persona)
    {
        foreach (var p in Generated)
        {
            if (string.Equals(Name(p), name, StringComparison.OrdinalIgnoreCase))
            {
                persona = p;
                return true;
            }
        }

        if (string.Equals("magic", name, StringComparison.OrdinalIgnoreCase))
        {
            persona = Persona.Magic;
            return true;
        }

        persona = default;
        return false;
    }

    public static string AllNames => string.Join(", ", Generated.Select(Name).Append("magic"));

    /// <summary>Default shares: mostly healthy, with every failure cause present in a 1,000-card registry.</summary>
    public static Dictionary<string, double> DefaultWeights() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["healthy"] = 0.70,
        ["low-balance"] = 0.06,
        ["expired"] = 0.04,
        ["blocked"] = 0.03,
        ["phone-mismatch"] = 0.04,
        ["id-mismatch"] = 0.04,
        ["name-mismatch"] = 0.03,
        ["sms-unreachable"] = 0.03,
        ["slow-sms"] = 0.03,

        // The risk personas come only when a host asks for them (SimulatorOptions.PersonaWeights): a default
        // weight would change every seed's cardholders.
        ["risk-flagged"] = 0,
        ["frequent-payer"] = 0,
    };
}
