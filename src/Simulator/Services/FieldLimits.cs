using Grpc.Core;

namespace PaySim.Simulator.Services;

/// <summary>
/// The longest string each data-plane request field may carry (docs/simulator.md "Limits"), checked before the
/// issuer or the SMS gateway sees the request, so nothing oversized is stored, kept under an idempotency key or
/// echoed. Lengths are in Unicode code points, as the wallet counts them; a string within the limit in UTF-16
/// units (every real request) costs one comparison.
/// </summary>
internal static class FieldLimits
{
    /// <summary>Ids and short codes: card_token, binding_id, authorization_id, challenge_id, pan, expiry, cvv, id_number, phone, otp, currency, sender, correlation_id, kind, locale.</summary>
    public const int Short = 64;

    /// <summary>Names and references a client makes up: holder_name, merchant_id, order_reference, idempotency_key.</summary>
    public const int Reference = 128;

    /// <summary>An SMS <c>text</c>.</summary>
    public const int SmsText = 1000;

    /// <summary>Refuses <paramref name="value"/> with INVALID_ARGUMENT naming <paramref name="field"/> and the limit when it is longer than <paramref name="max"/>.</summary>
    public static void Check(string value, string field, int max)
    {
        if (value.Length > max)
        {
            Refuse(value, field, max);
        }
    }

    private static void Refuse(string value, string field, int max)
    {
        var length = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            length++;
        }

        if (length > max)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must have at most {max} characters (Unicode code points); got {length}"));
        }
    }
}
