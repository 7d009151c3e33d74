namespace PaySim.Wallet.Configuration;

/// <summary>The names accepted by <see cref="WalletOptions.BalancingPolicy"/> (gRPC service-config style).</summary>
public static class BalancingPolicies
{
    public const string RoundRobin = "round_robin";
    public const string PickFirst = "pick_first";
    public const string LeastRequests = "least_requests";
    public const string PowerOfTwoChoices = "power_of_two_choices";

    public static readonly IReadOnlyList<string> All = [RoundRobin, PickFirst, LeastRequests, PowerOfTwoChoices];
}
