using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Control;

internal static class CardholderMapper
{
    public static Cardholder ToContract(CardholderRecord c) => new()
    {
        Pan = c.Pan,
        Expiry = c.Expiry,
        Cvv = c.Cvv,
        HolderName = c.HolderName,
        IdNumber = c.IdNumber,
        Phone = c.Phone,
        BalanceMinor = c.BalanceMinor,
        DailyLimitMinor = c.DailyLimitMinor,
        Currency = c.Currency,
        Status = c.Status,
        Persona = Personas.Name(c.Persona),
        Locale = c.Locale,
        Network = CardNetworks.Name(c.Network),
        InputHolderName = c.InputHolderName,
        InputIdNumber = c.InputIdNumber,
        InputPhone = c.InputPhone,
        ExpectedResponseCode = c.ExpectedResponseCode,
        ExpectedDeclineReason = c.ExpectedDeclineReason,
        Magic = c.IsMagic,
    };
}
