namespace PaySim.Simulator.Cardholders;

/// <summary>The issuer's file of cardholders: generated ones first (index order), then the magic cards.</summary>
internal interface ICardholderRegistry
{
    IReadOnlyList<CardholderRecord> All { get; }

    CardholderRecord? FindByPan(string pan);

    CardholderRecord? FindByPhone(string phone);

    IEnumerable<CardholderRecord> List(int count, string? persona = null, string? locale = null, int offset = 0);
}
