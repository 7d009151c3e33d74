using PaySim.Contracts.Issuer.V1;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The one Authorize request every gRPC load tool sends, so h2load, the raw loop and the engine
/// put the same bytes on the wire.
/// </summary>
internal static class AuthorizeRequestOptions
{
    public static readonly string[] Names = ["card-token", "amount", "currency", "merchant", "idempotency-key"];

    public static AuthorizeRequest Build(ToolArguments args) => new()
    {
        CardToken = args.GetString("card-token", "tok_benchmark"),
        AmountMinor = args.GetInt("amount", 100, 1, int.MaxValue),
        Currency = args.GetString("currency", "CNY"),
        MerchantId = args.GetString("merchant", "m-bench"),
        IdempotencyKey = args.GetString("idempotency-key", string.Empty),
    };
}
