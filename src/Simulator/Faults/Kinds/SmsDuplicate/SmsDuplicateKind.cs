using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsDuplicate;

/// <summary><c>"smsDuplicate": { "copies": 2 }</c>: the phone receives the message this many times (the most copies win).</summary>
internal sealed class SmsDuplicateKind : FaultKind<SmsDuplicateOptions>
{
    public static readonly SmsDuplicateKind Instance = new();

    public override string Name => "smsDuplicate";

    public override FaultKindFlags Flags => FaultKindFlags.SmsPath;

    public override string Example => """{"copies":2}""";

    protected override SmsDuplicateOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => SmsDuplicateOptions.Read(value, path, errors);

    protected override bool Act(SmsDuplicateOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.SmsCopies = Math.Max(decision.SmsCopies, options.Copies);
        decision.Note(firing.RuleName, this);
        return true;
    }
}
