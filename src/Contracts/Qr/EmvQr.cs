using System.Globalization;
using System.Text;

namespace PaySim.Contracts.Qr;

/// <summary>
/// Writes and reads EMVCo merchant-presented QR payloads: a run of TLV fields (two-digit tag, two-digit length,
/// value), <c>00</c> first, <c>63</c> (CRC-16/CCITT-FALSE over everything before its value, "6304" included) last.
/// It lives in PaySim.Contracts so the simulator (which hands the codes out) and the wallet (which pays them) share
/// one reading, as <see cref="Durations.HumanDuration"/> does.
/// </summary>
public static class EmvQr
{
    /// <summary>The globally unique id in tag 26, sub-tag 00, of the codes the simulator hands out.</summary>
    public const string GloballyUniqueId = "cn.paysim.merchant";

    public const int MaxNameLength = 25;
    public const int MaxCityLength = 15;
    public const int MaxMerchantIdLength = 32;

    /// <summary>The longest payload read; EMVCo codes stay within 512 characters.</summary>
    public const int MaxPayloadLength = 512;

    /// <summary>A payload for <paramref name="qr"/>: static (point of initiation 11) without an amount, dynamic (12) with one.</summary>
    public static string Build(MerchantQr qr)
    {
        ArgumentNullException.ThrowIfNull(qr);
        if (qr.Name.Length > MaxNameLength || qr.City.Length > MaxCityLength || qr.MerchantId.Length > MaxMerchantIdLength)
        {
            throw new ArgumentException($"name is at most {MaxNameLength} characters, city {MaxCityLength}, merchant id {MaxMerchantIdLength}", nameof(qr));
        }

        var text = new StringBuilder();
        Field(text, "00", "01");
        Field(text, "01", qr.AmountMinor is null ? "11" : "12");
        Field(text, "26", Tlv("00", GloballyUniqueId) + Tlv("01", qr.MerchantId));
        Field(text, "52", "5999");
        Field(text, "53", qr.CurrencyNumeric);
        if (qr.AmountMinor is { } amount)
        {
            Field(text, "54", FormatAmount(amount));
        }

        Field(text, "58", "CN");
        Field(text, "59", qr.Name);
        Field(text, "60", qr.City);
        if (qr.Reference is { } reference)
        {
            Field(text, "62", Tlv("05", reference));
        }

        text.Append("6304");
        text.Append(Crc16.CcittFalse(text.ToString()).ToString("X4", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>
    /// Reads <paramref name="payload"/>; on failure <paramref name="problem"/> is one line naming what is wrong
    /// (the TLV field and position, the CRC it carries and the one its content gives, a missing tag).
    /// </summary>
    public static bool TryParse(string? payload, out MerchantQr? qr, out string problem)
    {
        qr = null;
        if (string.IsNullOrEmpty(payload))
        {
            problem = "the QR payload is empty";
            return false;
        }

        if (payload.Length > MaxPayloadLength)
        {
            problem = $"the QR payload has {payload.Length} characters; at most {MaxPayloadLength} are read";
            return false;
        }

        if (!TryReadFields(payload, 0, payload.Length, out var fields, out problem))
        {
            return false;
        }

        if (fields.Count == 0 || fields[0].Tag != "00" || fields[0].Value != "01")
        {
            problem = "bad TLV: the payload must start with tag 00 (payload format indicator) = 01";
            return false;
        }

        var last = fields[^1];
        if (last.Tag != "63" || last.Value.Length != 4)
        {
            problem = "bad TLV: the payload must end with tag 63, the 4-character CRC";
            return false;
        }

        var expected = Crc16.CcittFalse(payload.AsSpan(0, payload.Length - 4)).ToString("X4", CultureInfo.InvariantCulture);
        if (!string.Equals(last.Value, expected, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"bad CRC: tag 63 says {last.Value} but the payload gives {expected}";
            return false;
        }

        var byTag = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tag, value, _) in fields)
        {
            if (!byTag.TryAdd(tag, value))
            {
                problem = $"bad TLV: tag {tag} appears more than once";
                return false;
            }
        }

        if (!byTag.TryGetValue("26", out var account)
            || !TryReadFields(account, 0, account.Length, out var accountFields, out _)
            || accountFields.FirstOrDefault(f => f.Tag == "01").Value is not { Length: > 0 and <= MaxMerchantIdLength } merchantId)
        {
            problem = $"bad TLV: tag 26 (merchant account) must hold sub-tag 01, the merchant id (1 to {MaxMerchantIdLength} characters)";
            return false;
        }

        if (!byTag.TryGetValue("53", out var currency) || currency.Length != 3 || !currency.All(char.IsAsciiDigit))
        {
            problem = "bad TLV: tag 53 (transaction currency) must be a 3-digit ISO 4217 code, e.g. 156";
            return false;
        }

        if (!byTag.TryGetValue("59", out var name) || name.Length is 0 or > MaxNameLength)
        {
            problem = $"bad TLV: tag 59 (merchant name) must be 1 to {MaxNameLength} characters";
            return false;
        }

        if (!byTag.TryGetValue("60", out var city) || city.Length is 0 or > MaxCityLength)
        {
            problem = $"bad TLV: tag 60 (merchant city) must be 1 to {MaxCityLength} characters";
            return false;
        }

        long? amount = null;
        if (byTag.TryGetValue("54", out var amountText))
        {
            if (!TryParseAmount(amountText, out var minor))
            {
                problem = $"bad TLV: tag 54 (amount) '{amountText}' must be a positive decimal with at most 2 decimals, e.g. 19.99";
                return false;
            }

            amount = minor;
        }

        string? reference = null;
        if (byTag.TryGetValue("62", out var additional))
        {
            if (!TryReadFields(additional, 0, additional.Length, out var extra, out var inner))
            {
                problem = $"bad TLV in tag 62 (additional data): {inner}";
                return false;
            }

            reference = extra.FirstOrDefault(f => f.Tag == "05").Value;
        }

        qr = new MerchantQr(merchantId, name, city, currency, amount, reference);
        problem = string.Empty;
        return true;
    }

    /// <summary>Minor units as EMVCo writes an amount: <c>1999</c> → <c>19.99</c>, <c>500</c> → <c>5.00</c>.</summary>
    public static string FormatAmount(long minor) =>
        (minor / 100).ToString(CultureInfo.InvariantCulture) + "." + (minor % 100).ToString("00", CultureInfo.InvariantCulture);

    private static bool TryParseAmount(string text, out long minor)
    {
        minor = 0;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        // Up to 13 digits before the point: the whole EMVCo field (ans..13). How much a payment may be is the payer's rule.
        if (whole.Length is 0 or > 13 || fraction.Length > 2 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            return false;
        }

        minor = (long.Parse(whole, CultureInfo.InvariantCulture) * 100) + (fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture));
        return minor > 0;
    }

    private static bool TryReadFields(string text, int start, int end, out List<(string Tag, string Value, int At)> fields, out string problem)
    {
        fields = [];
        var at = start;
        while (at < end)
        {
            if (end - at < 4)
            {
                problem = $"bad TLV at position {at}: {end - at} character(s) left where a tag and a length (4 digits) are needed";
                return false;
            }

            var tag = text.Substring(at, 2);
            var lengthText = text.Substring(at + 2, 2);
            if (!tag.All(char.IsAsciiDigit) || !lengthText.All(char.IsAsciiDigit))
            {
                problem = $"bad TLV at position {at}: tag and length must be 2 digits each (got '{tag}{lengthText}')";
                return false;
            }

            var length = int.Parse(lengthText, CultureInfo.InvariantCulture);
            if (length == 0 || at + 4 + length > end)
            {
                problem = $"bad TLV at position {at}: tag {tag} says {length} characters but {end - at - 4} remain";
                return false;
            }

            fields.Add((tag, text.Substring(at + 4, length), at));
            at += 4 + length;
        }

        problem = string.Empty;
        return true;
    }

    private static void Field(StringBuilder text, string tag, string value) => text.Append(Tlv(tag, value));

    private static string Tlv(string tag, string value)
    {
        if (value.Length is 0 or > 99)
        {
            throw new ArgumentException($"tag {tag}: a value must be 1 to 99 characters (got {value.Length})", nameof(value));
        }

        return tag + value.Length.ToString("00", CultureInfo.InvariantCulture) + value;
    }
}
