using System.Globalization;
using System.Text;
using Grpc.Core;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Tests.Faults;

/// <summary>
/// Seeded random rule sets and calls for the property tests of the slot filter: values come from
/// small pools, so rules and calls collide often (exact hits, shared prefixes, range bounds).
/// With <c>wide</c>, about half the values come from large generated ranges instead (thousands of
/// cards, phones, prefixes and amount bounds, hundreds of header values), so a few thousand rules
/// hold thousands of distinct values, as a big rule set would; without it the random stream is
/// the same as before <c>wide</c> existed.
/// </summary>
internal static class FaultRandomRules
{
    public static readonly string[] Pans = ["4111111111111111", "4000056655665556", "5555555555554444", "6299990000000000", "3782822463100050", "41", "4"];

    // More than 8 distinct prefixes, so both the StartsWith path and the per-length look-up run.
    public static readonly string[] Prefixes = ["4", "41", "411", "4111", "40", "5", "55", "555", "62", "6299", "629999", "3", "37", "9"];

    public static readonly string[] Phones = ["+70000000001", "+70000000002", "+70000000003"];

    public static readonly string[] Keys = ["x-tenant", "x-env", "x-blob-bin"];

    public static readonly string[] Values = ["qa", "prod", "dev"];

    public static readonly long[] Amounts = [0, 1, 99, 100, 101, 199, 200, 201, 1_000, 999_999, long.MaxValue - 1, long.MaxValue];

    public static readonly string[] Nodes = ["issuer-1", "issuer-2", "issuer-3", "sms"];

    public static readonly string[] Methods = ["Authorize", "Capture", "StartBinding", "Send", "/paysim.issuer.v1.Issuer/Authorize", "Unknown"];

    /// <summary>A JSON array of <paramref name="count"/> rules named r0, r1, ...</summary>
    /// <param name="anyKind">False: latency rules only, fixed delay of (index + 1) ms, probability 1.</param>
    /// <param name="wide">Draw about half the match values from large generated ranges (see the class).</param>
    public static string Json(Random random, int count, bool anyKind = true, bool anyNode = true, bool wide = false)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append(CultureInfo.InvariantCulture, $"{{\"name\":\"r{i}\"");
            string? node = null, method = null;
            if (anyNode)
            {
                node = Pick(random, ["*", "*", "issuer-*", "issuer-1", "issuer-2", "sms"]);
                method = Pick(random, ["*", "*", "*", "Authorize", "Capture", "Send"]);

                // The parser refuses a method the named node does not serve (Send on an issuer,
                // Authorize on sms); such a draw becomes "*" so the random stream stays the same.
                if (node != "*" && method != "*" && (node == "sms") != (method == "Send"))
                {
                    method = "*";
                }
            }

            var match = Match(random, wide);
            var action = anyKind ? Action(random) : $"\"latency\":{{\"fixed\":\"{i + 1}ms\"}}";

            // And sms* rules only where SMS is delivered: node sms or *, method Send or *.
            if (action.Contains("\"sms", StringComparison.Ordinal))
            {
                node = node is null or "*" ? node : "sms";
                method = method is null or "*" or "Send" ? method : "*";
            }

            if (node is not null)
            {
                json.Append(CultureInfo.InvariantCulture, $",\"node\":\"{node}\"");
                json.Append(CultureInfo.InvariantCulture, $",\"method\":\"{method}\"");
            }

            if (match is not null)
            {
                json.Append(",\"match\":").Append(match);
            }

            json.Append(',').Append(action);
            json.Append('}');
        }

        return json.Append(']').ToString();
    }

    public static FaultRequest Request(Random random, bool shortMethods = false, bool wide = false)
    {
        var sms = random.Next(4) == 0;
        var node = sms ? "sms" : Pick(random, Nodes);
        var method = sms ? "Send" : shortMethods ? Pick(random, FaultRuleContext.IssuerMethods.ToArray()) : Pick(random, Methods);
        var pan = random.Next(6) == 0 ? null : wide && random.Next(2) == 0 ? WidePan(random) : Pick(random, Pans);
        var phone = random.Next(3) == 0 ? null : random.Next(5) == 0 ? "+79999999999" : wide && random.Next(2) == 0 ? WidePhone(random) : Pick(random, Phones);
        long? amount = random.Next(5) switch
        {
            0 => null,
            1 => random.Next(0, 1_001),
            _ => wide && random.Next(2) == 0 ? WideAmount(random) : Pick(random, Amounts),
        };
        return new FaultRequest(node, method, Headers(random, wide), pan, phone, amount, smsDelivery: sms);
    }

    public static Metadata? Headers(Random random, bool wide = false)
    {
        switch (random.Next(10))
        {
            case < 3:
                return null;
            case 3:
                return [];
        }

        var headers = new Metadata();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var key = Pick(random, Keys);
            if (key.EndsWith("-bin", StringComparison.Ordinal))
            {
                headers.Add(key, Encoding.ASCII.GetBytes(Pick(random, Values)));
            }
            else
            {
                headers.Add(key, wide && random.Next(2) == 0 ? WideValue(random) : Pick(random, Values));
            }
        }

        if (random.Next(4) == 0)
        {
            headers.Add("x-other", "qa");
        }

        return headers;
    }

    private static string? Match(Random random, bool wide)
    {
        switch (random.Next(10))
        {
            case 0:
                return null;
            case 1:
                return "{}";
        }

        var fields = new List<string>();
        while (fields.Count == 0)
        {
            if (random.Next(3) == 0)
            {
                var a = wide && random.Next(2) == 0 ? WideAmount(random) : Pick(random, Amounts);
                var b = wide && random.Next(2) == 0 ? WideAmount(random) : Pick(random, Amounts);
                var (lo, hi) = a <= b ? (a, b) : (b, a);
                switch (random.Next(4))
                {
                    case 0:
                        fields.Add(Invariant($"\"amountMin\":{lo}"));
                        break;
                    case 1:
                        fields.Add(Invariant($"\"amountMax\":{hi}"));
                        break;
                    case 2:
                        fields.Add(Invariant($"\"amountMin\":{lo},\"amountMax\":{lo}"));
                        break;
                    default:
                        fields.Add(Invariant($"\"amountMin\":{lo},\"amountMax\":{hi}"));
                        break;
                }
            }

            if (random.Next(6) == 0)
            {
                fields.Add($"\"pan\":\"{(wide && random.Next(2) == 0 ? WidePan(random) : Pick(random, Pans))}\"");
            }

            if (random.Next(3) == 0)
            {
                fields.Add($"\"panPrefix\":\"{(wide && random.Next(2) == 0 ? WidePan(random)[..random.Next(12, 17)] : Pick(random, Prefixes))}\"");
            }

            if (random.Next(5) == 0)
            {
                fields.Add($"\"phone\":\"{(wide && random.Next(2) == 0 ? WidePhone(random) : Pick(random, Phones))}\"");
            }

            if (random.Next(3) == 0)
            {
                var pairs = Keys.OrderBy(_ => random.Next()).Take(random.Next(1, 3))
                    .Select(k => $"\"{k}\":\"{(wide && random.Next(2) == 0 ? WideValue(random) : Pick(random, Values))}\"");
                fields.Add($"\"metadata\":{{{string.Join(",", pairs)}}}");
            }
        }

        return "{" + string.Join(",", fields) + "}";
    }

    private static string Action(Random random)
    {
        var trigger = new StringBuilder();
        var deterministic = false;
        var action = random.Next(14) switch
        {
            0 or 1 => "\"latency\":{\"fixed\":\"5ms\"}",
            2 => "\"latency\":{\"uniform\":{\"min\":\"1ms\",\"max\":\"20ms\"}}",
            3 => "\"latency\":{\"lognormal\":{\"median\":\"10ms\",\"p99\":\"80ms\"}}",
            4 => "\"error\":{\"grpcStatus\":\"UNAVAILABLE\"}",
            5 => "\"error\":{\"grpcStatus\":\"RESOURCE_EXHAUSTED\",\"retryPushbackMs\":250}",
            6 => "\"decline\":{\"code\":\"05\",\"reasons\":[\"NAME_MISMATCH\",\"ID_MISMATCH\"]}",
            7 => "\"decline\":{\"code\":\"91\"}",
            8 => "\"hang\":{}",
            9 => "\"reset\":{\"when\":\"after\"}",
            10 => Deterministic(random.Next(2) == 0 ? "\"capacity\":{\"maxConcurrent\":2}" : "\"rateLimit\":{\"perSecond\":5,\"burst\":2}", out deterministic),
            11 => "\"smsDelay\":{\"uniform\":{\"min\":\"1s\",\"max\":\"3s\"}}",
            12 => "\"smsDuplicate\":{}",
            _ => random.Next(2) == 0 ? "\"smsDrop\":{}" : "\"smsAfterExpiry\":{}",
        };

        if (!deterministic)
        {
            trigger.Append(Pick(random, ["", "", "\"probability\":0.5,", "\"probability\":0.1,", "\"probability\":1,"]));
            if (random.Next(5) == 0)
            {
                trigger.Append(CultureInfo.InvariantCulture, $"\"times\":{random.Next(1, 20)},");
            }

            if (random.Next(8) == 0)
            {
                trigger.Append(action.StartsWith("\"latency\"", StringComparison.Ordinal) && random.Next(2) == 0
                    ? "\"ramp\":{\"over\":\"30s\",\"of\":\"latency\"},"
                    : "\"ramp\":{\"over\":\"30s\",\"from\":0.2,\"of\":\"probability\"},");
            }
        }

        if (random.Next(6) == 0)
        {
            trigger.Append(CultureInfo.InvariantCulture, $"\"start\":\"{random.Next(1, 20)}s\",");
        }

        if (random.Next(6) == 0)
        {
            trigger.Append(CultureInfo.InvariantCulture, $"\"duration\":\"{random.Next(5, 40)}s\",");
        }

        return trigger + action;
    }

    private static string Deterministic(string action, out bool deterministic)
    {
        deterministic = true;
        return action;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    // 3,000 cards 4000000000000000..4000000000002999 (prefixes are their first 12 to 16 digits),
    // 2,000 phones, amounts 0..4,999, 300 header values.
    private static string WidePan(Random random) => "4" + random.Next(3_000).ToString("D15", CultureInfo.InvariantCulture);

    private static string WidePhone(Random random) => "+7100000" + random.Next(2_000).ToString("D4", CultureInfo.InvariantCulture);

    private static long WideAmount(Random random) => random.Next(5_000);

    private static string WideValue(Random random) => "v" + random.Next(300).ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
