namespace PaySim.LoadTests.Plans;

internal enum ScenarioKind
{
    Onboarding,
    Payment,
    Refund,
    History,
    PasswordReset,
    QrPay,
    Journey,
    StepUp,
}
