namespace PaySim.LoadTests.Plans;

/// <summary>Names a plan may use, listed in error messages so a typo shows what was meant.</summary>
internal static class KnownNames
{
    public static readonly IReadOnlyList<string> Personas =
    [
        "healthy", "low-balance", "expired", "blocked", "phone-mismatch", "id-mismatch", "name-mismatch",
        "sms-unreachable", "slow-sms", "risk-flagged", "frequent-payer",
    ];

    public static readonly IReadOnlyList<string> Scenarios = ["onboarding", "payment", "refund", "history", "password-reset", "qr-pay", "journey", "step-up"];

    public static readonly IReadOnlyList<string> JourneyActions = ["onboarding", "payment", "refund", "history", "password-reset", "qr-pay", "step-up"];

    public static readonly IReadOnlyList<string> LoadKinds =
        ["inject", "rampingInject", "injectRandom", "pause", "keepConstant", "rampingConstant", "iterations"];

    /// <summary>The wallet's own list (pick_first included): a policy the wallet takes, a plan may name.</summary>
    public static readonly IReadOnlyList<string> BalancingPolicies = PaySim.Wallet.Configuration.BalancingPolicies.All;

    public static readonly IReadOnlyList<string> NodeStates = ["down", "notServing"];

    public static readonly IReadOnlyList<string> WalletStates = ["crash", "freeze"];

    public static string List(IEnumerable<string> names) => string.Join(", ", names);

    public static ScenarioKind ParseScenario(string name) => name switch
    {
        "onboarding" => ScenarioKind.Onboarding,
        "payment" => ScenarioKind.Payment,
        "refund" => ScenarioKind.Refund,
        "history" => ScenarioKind.History,
        "step-up" => ScenarioKind.StepUp,
        "password-reset" => ScenarioKind.PasswordReset,
        "qr-pay" => ScenarioKind.QrPay,
        _ => ScenarioKind.Journey,
    };
}
