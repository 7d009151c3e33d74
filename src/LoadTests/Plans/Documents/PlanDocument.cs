using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Plans.Documents;

/// <summary>
/// A plan file as written (JSON, camelCase). Every field is optional here; <see cref="PlanCompiler"/>
/// applies defaults, validates and turns it into a <see cref="LoadPlan"/>. Unknown fields are refused.
/// </summary>
internal sealed class PlanDocument
{
    /// <summary>"$schema": "./plan.schema.json" lets editors complete and check the plan; the compiler ignores it.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("$schema")]
    public string? Schema { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Length of the run, e.g. "60s"; phases and the fault timeline scale with --duration.</summary>
    public string? Duration { get; set; }

    /// <summary>Total open-model arrival rate per second, split over scenarios by weight.</summary>
    public double? Rate { get; set; }

    public int? Seed { get; set; }

    /// <summary>Iterations starting in the first part of the run are not counted (connection set-up, JIT).</summary>
    public string? WarmUp { get; set; }

    public PlanTargetDocument? Target { get; set; }

    /// <summary>Persona name → weight, for users created during the run (onboarding).</summary>
    public Dictionary<string, double>? Personas { get; set; }

    /// <summary>How many users with a bound healthy card are prepared before the load starts.</summary>
    public int? PreboundCards { get; set; }

    public PlanClientDocument? Client { get; set; }

    public List<PlanScenarioDocument>? Scenarios { get; set; }

    /// <summary>Fault rules in the fault engine's schema; "start" and "duration" are offsets into the run.</summary>
    public List<JsonObject>? Faults { get; set; }

    public List<PlanNodeEventDocument>? NodeEvents { get; set; }

    /// <summary>The issuer's risk rules for the run, in the simulator's risk document format (docs/simulator.md "Risk controls"), applied before the load.</summary>
    public JsonObject? Risk { get; set; }

    /// <summary>Each a claim text, or <c>{"claim": "…", "abortOnFail": true, "delayAbortEval": "10s"}</c>; read by <see cref="ClaimCompiler"/>.</summary>
    public List<JsonNode?>? Claims { get; set; }

    /// <summary>After the load: how long, at most, the wallet and issuer get to settle before the three views are reconciled, e.g. "10s".</summary>
    public string? Settle { get; set; }

    public PlanCapacityDocument? Capacity { get; set; }

    /// <summary>
    /// The planted wallet defects (docs/wallet.md) this plan promises to fail on, each a defect name or an object
    /// <c>{"defect": name, "by": [claim metrics]}</c>; <see cref="PlanCompiler"/> reads them; <c>selftest</c> checks the promise.
    /// </summary>
    public List<JsonNode>? Catches { get; set; }
}
