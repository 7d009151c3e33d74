using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// Candidate bitmasks over the slots of one <see cref="FaultSlotList"/>, one match dimension at a
/// time, so the rules a call cannot match are rejected in O(distinct match values) instead of
/// one <see cref="FaultSlot.Matches"/> per rule: with 100 idle rules loaded, deciding a call that
/// fires nothing costs a few look-ups, not a hundred; with 10,000, a few look-ups and a few passes
/// over 157 words.
/// <para>
/// Bit i of the selected mask is set exactly when <c>slots[i]</c> is of the call's kind (sms or
/// not) and <see cref="FaultSlot.Matches"/> holds; the engine still runs that check on every
/// candidate, so a filter bug could only drop a firing rule, which the tests compare against the
/// linear scan. Immutable; built with the index and shared by the lists that hold the same rules
/// in the same order.
/// </para>
/// <para>
/// Memory and build time grow with the rules, not with rules × distinct values: the dense masks
/// are the two kinds, the slots without a pan, phone, prefix, metadata or amount, and one amount
/// checkpoint per <see cref="AmountToggles"/> bound crossings (every segment while that stays
/// under <see cref="DenseAmountWords"/>); everything per value is sparse
/// (<see cref="FaultSparseMasks"/>). Until issue 20's follow-up every per-value mask was dense,
/// which is why the filter stopped at 1,024 slots.
/// </para>
/// </summary>
internal sealed class FaultSlotFilter
{
    /// <summary>
    /// The most slots one filter takes (the engine scans linearly beyond). Above
    /// <see cref="FaultDefaults.MaxRules"/>, so every list the engine can hold is filtered: a mask
    /// is then at most 256 words (2 KB), small enough for the hot path to keep on the stack.
    /// </summary>
    public const int MaxSlots = 16_384;

    public const int MaxWords = MaxSlots / 64;

    /// <summary>
    /// Amount bound crossings a call may replay on top of the nearest checkpoint: a checkpoint (a
    /// dense mask) is stored every time more than this many slots changed since the last one, so
    /// with N amount rules there are at most 1 + 2N/64 checkpoints and a call flips at most 64 bits.
    /// </summary>
    public const int AmountToggles = 64;

    /// <summary>
    /// Up to this many words of amount masks every segment is a checkpoint (no flips at all): that
    /// covers every filter of up to 1,024 slots (at most 2,049 segments of 16 words), as before
    /// checkpoints existed.
    /// </summary>
    public const int DenseAmountWords = 64 * 1024;

    private readonly ulong[] _call;
    private readonly ulong[] _sms;

    // Amounts: sorted breakpoints; segment j holds the amounts with exactly j breakpoints <= amount.
    // Segment j's mask is its checkpoint's, with the slots of _toggles[_toggleStart[c + 1].._toggleStart[j + 1]]
    // flipped, c being the checkpoint's segment: each flip is a rule's range starting or ending there.
    // _checkpointOf null: every segment is its own checkpoint (DenseAmountWords).
    private readonly long[]? _amountBreaks;
    private readonly int[]? _checkpointOf;
    private readonly int[]? _checkpointSegment;
    private readonly ulong[]? _checkpoints;
    private readonly int[]? _toggleStart;
    private readonly int[]? _toggles;
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
            FaultMask.Set(slots[i].IsSms ? _sms : _call, i);
        }

        if (slots.Any(s => s.HasAmount))
        {
            BuildAmounts(slots, words, out _amountBreaks, out _checkpointOf, out _checkpointSegment, out _checkpoints, out _toggleStart, out _toggles, out _noAmount);
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
        if (!(_checkpoints is null ? FaultMask.AndInto(mask, kind, kind) : Amounts(request.AmountMinor, kind, mask)))
        {
            return false;
        }

        if (_pan is not null && !_pan.And(request.Pan, mask))
        {
            return false;
        }

        if (_panPrefix is not null && !_panPrefix.And(request.Pan, mask))
        {
            return false;
        }

        if (_phone is not null && !_phone.And(request.Phone, mask))
        {
            return false;
        }

        return _metadata is null || _metadata.And(request.Headers, mask);
    }

    /// <summary>mask = kind &amp; the slots whose amount range holds the call's amount; false when none.</summary>
    private bool Amounts(long? amountMinor, ReadOnlySpan<ulong> kind, Span<ulong> mask)
    {
        if (amountMinor is not { } amount)
        {
            return FaultMask.AndInto(mask, kind, _noAmount);
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

        if (_checkpointOf is null)
        {
            return FaultMask.AndInto(mask, kind, _checkpoints.AsSpan(lo * Words, Words));
        }

        var checkpoint = _checkpointOf[lo];
        var any = FaultMask.AndInto(mask, kind, _checkpoints.AsSpan(checkpoint * Words, Words));
        var toggles = _toggles.AsSpan(_toggleStart![_checkpointSegment![checkpoint] + 1].._toggleStart[lo + 1]);
        if (toggles.IsEmpty)
        {
            return any;
        }

        // A flip changes the amount bit; the mask holds amount & kind, so it flips only where kind is set.
        foreach (var i in toggles)
        {
            mask[i >> 6] ^= kind[i >> 6] & (1UL << (i & 63));
        }

        return FaultMask.Any(mask);
    }

    private static void BuildAmounts(
        FaultSlot[] slots,
        int words,
        out long[] breaks,
        out int[]? checkpointOf,
        out int[] checkpointSegment,
        out ulong[] checkpoints,
        out int[] toggleStart,
        out int[] toggles,
        out ulong[] noAmount)
    {
        // A rule's range [min, max] starts a segment at min and ends it before max + 1, so no
        // segment straddles any rule's bound: a slot enters the mask at its min's breakpoint and
        // leaves it at its max + 1's. Segment 0 (below every breakpoint) holds the slots without an
        // amount and those whose range is open below.
        var current = new ulong[words];
        noAmount = new ulong[words];
        var events = new List<(long At, int Slot)>();
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (!slot.HasAmount)
            {
                FaultMask.Set(noAmount, i);
                FaultMask.Set(current, i);
                continue;
            }

            if (slot.AmountMin > slot.AmountMax)
            {
                continue; // an empty range (the parser refuses one): in no segment
            }

            if (slot.AmountMin == long.MinValue)
            {
                FaultMask.Set(current, i);
            }
            else
            {
                events.Add((slot.AmountMin, i));
            }

            if (slot.AmountMax != long.MaxValue)
            {
                events.Add((slot.AmountMax + 1, i));
            }
        }

        events.Sort();
        breaks = events.Select(e => e.At).Distinct().ToArray();
        var segments = breaks.Length + 1;
        var everySegment = (long)segments * words <= DenseAmountWords;
        checkpointOf = new int[segments];
        toggleStart = new int[segments + 1];
        toggles = new int[events.Count];
        var checkpointSegments = new List<int> { 0 };
        var checkpointMasks = new List<ulong>(current);
        var since = 0;
        var e = 0;
        for (var j = 1; j < segments; j++)
        {
            toggleStart[j] = e;
            var at = breaks[j - 1];
            for (; e < events.Count && events[e].At == at; e++)
            {
                var i = events[e].Slot;
                toggles[e] = i;
                current[i >> 6] ^= 1UL << (i & 63);
                since++;
            }

            if (since > AmountToggles || everySegment)
            {
                checkpointSegments.Add(j);
                checkpointMasks.AddRange(current);
                since = 0;
            }

            checkpointOf[j] = checkpointSegments.Count - 1;
        }

        toggleStart[segments] = e;
        checkpointSegment = [.. checkpointSegments];
        checkpoints = [.. checkpointMasks];
        if (everySegment)
        {
            // Segment j is checkpoint j: the call indexes the masks directly.
            checkpointOf = null;
        }
    }
}
