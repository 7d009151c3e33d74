using System.Globalization;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>personas</c>: known names and their weights (default: all healthy).</summary>
internal static class PersonaCompiler
{
    public static IReadOnlyDictionary<string, double> Compile(Dictionary<string, double>? doc, string p)
    {
        if (doc is null)
        {
            return new Dictionary<string, double> { ["healthy"] = 1 };
        }

        foreach (var (persona, weight) in doc)
        {
            if (!KnownNames.Personas.Contains(persona))
            {
                throw new PlanException($"{p} personas.{persona}: unknown persona; allowed: {KnownNames.List(KnownNames.Personas)}.");
            }

            if (!double.IsFinite(weight) || weight < 0 || weight > PlanCompiler.MaxWeight)
            {
                throw new PlanException($"{p} personas.{persona}: weight must be a number from 0 to {PlanCompiler.MaxWeight}, got {weight.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        if (doc.Values.Sum() <= 0)
        {
            throw new PlanException($"{p} personas: at least one weight must be > 0.");
        }

        return doc.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
