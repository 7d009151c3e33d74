using System.Globalization;
using System.Text;
using System.Text.Json;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>Streams cardholders as CSV or JSON, one at a time, so memory stays flat whatever the count.</summary>
internal static class CardholderExport
{
    public static readonly string[] Columns =
    [
        "index", "pan", "network", "expiry", "cvv", "holder_name", "id_number", "phone", "balance_minor",
        "daily_limit_minor", "currency", "status", "persona", "locale", "input_holder_name", "input_id_number",
        "input_phone", "expected_response_code", "expected_decline_reason", "magic",
    ];

    public static void WriteCsv(TextWriter writer, IEnumerable<CardholderRecord> cardholders)
    {
        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        foreach (var c in cardholders)
        {
            writer.Write(c.Index.ToString(CultureInfo.InvariantCulture));
            foreach (var value in Values(c))
            {
                writer.Write(',');
                WriteCsvField(writer, value);
            }

            writer.Write('\n');
        }
    }

    public static void WriteJson(Stream stream, IEnumerable<CardholderRecord> cardholders)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteStartArray("cardholders");
        var n = 0;
        foreach (var c in cardholders)
        {
            json.WriteStartObject();
            json.WriteNumber("index", c.Index);
            json.WriteString("pan", c.Pan);
            json.WriteString("network", CardNetworks.Name(c.Network));
            json.WriteString("expiry", c.Expiry);
            json.WriteString("cvv", c.Cvv);
            json.WriteString("holderName", c.HolderName);
            json.WriteString("idNumber", c.IdNumber);
            json.WriteString("phone", c.Phone);
            json.WriteNumber("balanceMinor", c.BalanceMinor);
            json.WriteNumber("dailyLimitMinor", c.DailyLimitMinor);
            json.WriteString("currency", c.Currency);
            json.WriteString("status", c.Status);
            json.WriteString("persona", Personas.Name(c.Persona));
            json.WriteString("locale", c.Locale);
            json.WriteString("inputHolderName", c.InputHolderName);
            json.WriteString("inputIdNumber", c.InputIdNumber);
            json.WriteString("inputPhone", c.InputPhone);
            json.WriteString("expectedResponseCode", c.ExpectedResponseCode);
            json.WriteString("expectedDeclineReason", c.ExpectedDeclineReason);
            json.WriteBoolean("magic", c.IsMagic);
            json.WriteEndObject();
            if (++n % 256 == 0)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static IEnumerable<string> Values(CardholderRecord c)
    {
        yield return c.Pan;
        yield return CardNetworks.Name(c.Network);
        yield return c.Expiry;
        yield return c.Cvv;
        yield return c.HolderName;
        yield return c.IdNumber;
        yield return c.Phone;
        yield return c.BalanceMinor.ToString(CultureInfo.InvariantCulture);
        yield return c.DailyLimitMinor.ToString(CultureInfo.InvariantCulture);
        yield return c.Currency;
        yield return c.Status;
        yield return Personas.Name(c.Persona);
        yield return c.Locale;
        yield return c.InputHolderName;
        yield return c.InputIdNumber;
        yield return c.InputPhone;
        yield return c.ExpectedResponseCode;
        yield return c.ExpectedDeclineReason;
        yield return c.IsMagic ? "true" : "false";
    }

    private static void WriteCsvField(TextWriter writer, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            writer.Write(value);
            return;
        }

        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            sb.Append(ch == '"' ? "\"\"" : ch.ToString());
        }

        writer.Write(sb.Append('"').ToString());
    }
}
