namespace PaySim.Simulator.Cardholders;

/// <summary>The issuer's file of cardholders: generated ones first (index order), then the magic cards.</summary>
internal interface ICardholderRegistry
{
    /// <summary>Every cardholder, derived one at a time as the sequence is walked (never all in memory).</summary>
    IEnumerable<CardholderRecord> All { get; }

    /// <summary>How many cardholders <see cref="All"/> yields.</summary>
    int Count { get; }

    CardholderRecord? FindByPan(string pan);

    CardholderRecord? FindByPhone(string phone);

    /// <summary>
    /// A page of cardholders, filtered, derived as it is read; a filter no generated card can match (a persona of weight
    /// 0, magic) skips the generated ones at once. <paramref name="cancellationToken"/> (the caller going away) ends a
    /// long filtered scan with <see cref="OperationCanceledException"/>.
    /// </summary>
    IEnumerable<CardholderRecord> List(int count, string? persona = null, string? locale = null, int offset = 0, CancellationToken cancellationToken = default);
}
