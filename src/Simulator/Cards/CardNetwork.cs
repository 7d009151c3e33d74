namespace PaySim.Simulator.Cards;

internal enum CardNetwork
{
    UnionPay,
    Visa,
    Mastercard,
    Amex,
}
