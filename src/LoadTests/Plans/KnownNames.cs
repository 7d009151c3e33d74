namespace PaySim.LoadTests.Plans;

/// <summary>Names a plan may use, listed in error messages so a typo shows what was meant.</summary>
internal static class KnownNames
{
    public static readonly IReadOnlyList<string> Personas =
    [
        "healthy", "low-balance", "expired", "blocked", "phone-mismatch", "id-mismatch", "name-mismatch",
        "sms-unreachable", "slow-sms",
    ];

    public static readonly IReadOnlyList<string> Scenarios = ["onboarding", "payment", "refund", "history", "journey"];

    public static readonly IReadOnlyList<string> JourneyActions = ["onboarding", "payment", "refund", "history"];

    /// <summary>Steps are named after the wallet calls they time.</summary>
    public static readonly IReadOnlyList<string> Steps = ["register", "bind_start", "sms_wait", "bind_resend", "bind_confirm", "pay", "refund", "history"];

    public static readonly IReadOnlyList<string> LoadKinds =
        ["inject", "rampingInject", "injectRandom", "pause", "keepConstant", "rampingConstant", "iterations"];

    public static readonly IReadOnlyList<string> BalancingPolicies = ["round_robin", "least_requests", "power_of_two_choices"];

    public static readonly IReadOnlyList<string> NodeStates = ["down", "notServing"];

    public static readonly IReadOnlyList<string> WalletStates = ["crash", "freeze"];

    public static string List(IEnumerable<string> names) => string.Join(", ", names);

    public static ScenarioKind ParseScenario(string name) => name switch
    {
        "onboarding" => ScenarioKind.Onboarding,
        "payment" => ScenarioKind.Payment,
        "refund" => ScenarioKind.Refund,
        "history" => ScenarioKind.History,
        _ => ScenarioKind.Journey,
    };
}
