using System.Globalization;
using System.Text;

namespace PaySim.Benchmarks.Fixtures;

/// <summary>
/// N fault rules that are all evaluated for an <c>Authorize</c> on any issuer node and never fire
/// for the benchmark's request (amount 100, a UnionPay 62… card, no metadata): a quarter each
/// gated by probability 0, by an amount range, by a metadata match and by a Visa PAN prefix.
/// Rules that do not even match the node or method would measure only the index lookup.
/// </summary>
internal static class IdleFaultRules
{
    public static string Json(int count)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            var name = "idle-" + i.ToString("000", CultureInfo.InvariantCulture);
            var node = i % 2 == 0 ? "*" : "issuer-*";
            var method = i % 3 == 0 ? "*" : "Authorize";
            json.Append((i % 4) switch
            {
                0 => $$$"""{"name":"{{{name}}}","node":"{{{node}}}","method":"{{{method}}}","probability":0,"error":{"grpcStatus":"UNAVAILABLE"}}""",
                1 => $$$"""{"name":"{{{name}}}","node":"{{{node}}}","method":"{{{method}}}","match":{"amountMin":1000000000000},"decline":{"code":"51"}}""",
                2 => $$$"""{"name":"{{{name}}}","node":"{{{node}}}","method":"{{{method}}}","match":{"metadata":{"x-bench-tenant":"never"}},"latency":{"fixed":"50ms"}}""",
                _ => $$$"""{"name":"{{{name}}}","node":"{{{node}}}","method":"{{{method}}}","match":{"panPrefix":"4"},"error":{"grpcStatus":"INTERNAL"}}""",
            });
        }

        return json.Append(']').ToString();
    }
}
