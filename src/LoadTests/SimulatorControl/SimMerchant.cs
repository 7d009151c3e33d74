namespace PaySim.LoadTests.SimulatorControl;

/// <summary>
/// A merchant the simulator hands out (<c>GET /v1/merchants</c>, docs/simulator.md "Merchant QR codes"): its id at the
/// acquirer, the name and city printed on its code, and the code itself as the simulator printed it.
/// </summary>
internal sealed record SimMerchant(string MerchantId, string Name, string City, string CurrencyNumeric, long? AmountMinor, string Qr);
