using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// Candidate bitmasks over the slots of one <see cref="FaultSlotList"/>, one match dimension at a
/// time, so the rules a call cannot match are rejected in O(distinct match values) instead of
/// one <see cref="FaultSlot.Matches"/> per rule: with 100 idle rules loaded, deciding a call that
/// fires nothing costs a few look-ups, not a hundred.
/// <para>
/// Bit i of the selected mask is set exactly when <c>slots[i]</c> is of the call's kind (sms or
/// not) and <see cref="FaultSlot.Matches"/> holds; the engine still runs that check on every
/// candidate, so a filter bug could only drop a firing rule, which the tests compare against the
/// linear scan. Immutable; built with the index and shared by the lists that hold the same rules
/// in the same order.
/// </para>
/// </summary>
internal sealed class FaultSlotFilter
{
    /// <summary>Beyond this many slots per (node, method) the engine scans linearly (the masks would be large).</summary>
    public const int MaxSlots = 1024;

    public const int MaxWords = MaxSlots / 64;

    private readonly ulong[] _call;
    private readonly ulong[] _sms;

    // Amounts: sorted breakpoints; segment j holds the amounts with exactly j breakpoints <= amount.
    private readonly long[]? _amountBreaks;
    private readonly ulong[]? _amountSegments;
    private readonly ulong[]? _noAmount;

    private readonly FaultValueMasks? _pan;
    private readonly FaultPrefixMasks? _panPrefix;
    private readonly FaultValueMasks? _phone;
    private readonly FaultMetadataMasks? _metadata;

    private FaultSlotFilter(FaultSlot[] slots, int words)
    {
        Words = words;
        _call = new ulong[words];
        _sms = new ulong[words];
        for (var i = 0; i < slots.Length; i++)
        {
            Set(slots[i].IsSms ? _sms : _call, i);
        }

        if (slots.Any(s => s.HasAmount))
        {
            (_amountBreaks, _amountSegments, _noAmount) = BuildAmounts(slots, words);
        }

        if (slots.Any(s => s.Pan is not null))
        {
            _pan = new FaultValueMasks(slots, words, s => s.Pan);
        }

        if (slots.Any(s => s.PanPrefix is not null))
        {
            _panPrefix = new FaultPrefixMasks(slots, words);
        }

        if (slots.Any(s => s.Phone is not null))
        {
            _phone = new FaultValueMasks(slots, words, s => s.Phone);
        }

        if (slots.Any(s => s.Metadata is not null))
        {
            _metadata = new FaultMetadataMasks(slots, words);
        }
    }

    /// <summary>64-bit words per mask.</summary>
    public int Words { get; }

    /// <summary>Null when the linear scan is as good: no slot matches on request fields, or too many slots.</summary>
    public static FaultSlotFilter? Create(FaultSlot[] slots) =>
        slots.Length == 0 || slots.Length > MaxSlots || !slots.Any(s => s.HasMatch)
            ? null
            : new FaultSlotFilter(slots, (slots.Length + 63) / 64);

    /// <summary>
    /// Fills <paramref name="mask"/> (<see cref="Words"/> long) with the slots that can apply to the
    /// call; false when there are none.
    /// </summary>
    public bool Select(in FaultRequest request, Span<ulong> mask)
    {
        mask = mask[..Words];
        ReadOnlySpan<ulong> kind = request.SmsDelivery ? _sms : _call;
        var amount = _amountSegments is null ? kind : AmountMask(request.AmountMinor);
        var any = 0UL;
        for (var w = 0; w < mask.Length; w++)
        {
            any |= mask[w] = kind[w] & amount[w];
        }

        if (any == 0)
        {
            return false;
        }

        if (_pan is not null && !And(mask, _pan.Select(request.Pan)))
        {
            return false;
        }

        if (_panPrefix is not null && !_panPrefix.And(request.Pan, mask))
        {
            return false;
        }

        if (_phone is not null && !And(mask, _phone.Select(request.Phone)))
        {
            return false;
        }

        return _metadata is null || _metadata.And(request.Headers, mask);
    }

    internal static void Set(Span<ulong> mask, int index) => mask[index >> 6] |= 1UL << (index & 63);

    /// <summary>mask &amp;= other; false when nothing is left.</summary>
    internal static bool And(Span<ulong> mask, ReadOnlySpan<ulong> other)
    {
        var any = 0UL;
        for (var w = 0; w < mask.Length; w++)
        {
            any |= mask[w] &= other[w];
        }

        return any != 0;
    }

    private ReadOnlySpan<ulong> AmountMask(long? amountMinor)
    {
        if (amountMinor is not { } amount)
        {
            return _noAmount;
        }

        // The segment is the number of breakpoints <= amount.
        var breaks = _amountBreaks!;
        int lo = 0, hi = breaks.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (breaks[mid] <= amount)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return _amountSegments.AsSpan(lo * Words, Words);
    }

    private static (long[] Breaks, ulong[] Segments, ulong[] NoAmount) BuildAmounts(FaultSlot[] slots, int words)
    {
        // A rule's range [min, max] starts a segment at min and ends it before max + 1, so no
        // segment straddles any rule's bound and one representative decides the whole segment.
        var breaks = new SortedSet<long>();
        foreach (var slot in slots.Where(s => s.HasAmount))
        {
            if (slot.AmountMin != long.MinValue)
            {
                breaks.Add(slot.AmountMin);
            }

            if (slot.AmountMax != long.MaxValue)
            {
                breaks.Add(slot.AmountMax + 1);
            }
        }

        var sorted = breaks.ToArray();
        var segments = new ulong[(sorted.Length + 1) * words];
        var noAmount = new ulong[words];
        for (var j = 0; j <= sorted.Length; j++)
        {
            var representative = j == 0 ? long.MinValue : sorted[j - 1];
            var segment = segments.AsSpan(j * words, words);
            for (var i = 0; i < slots.Length; i++)
            {
                var slot = slots[i];
                if (!slot.HasAmount || (representative >= slot.AmountMin && representative <= slot.AmountMax))
                {
                    Set(segment, i);
                }
            }
        }

        for (var i = 0; i < slots.Length; i++)
        {
            if (!slots[i].HasAmount)
            {
                Set(noAmount, i);
            }
        }

        return (sorted, segments, noAmount);
    }
}
