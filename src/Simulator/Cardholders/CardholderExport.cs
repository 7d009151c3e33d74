using System.Globalization;
using System.Text;
using System.Text.Json;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>Cardholders as CSV or JSON: the formats, and a stream of them one at a time (memory stays flat whatever the count).</summary>
internal static class CardholderExport
{
    public static readonly string[] Columns =
    [
        "index", "pan", "network", "expiry", "cvv", "holder_name", "id_number", "phone", "balance_minor",
        "daily_limit_minor", "currency", "status", "persona", "locale", "input_holder_name", "input_id_number",
        "input_phone", "expected_response_code", "expected_decline_reason", "magic",
    ];

    public static string CsvHeader => string.Join(',', Columns) + "\n";

    public static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteCsv(TextWriter writer, IEnumerable<CardholderRecord> cardholders)
    {
        writer.Write(CsvHeader);
        var row = new StringBuilder(256);
        foreach (var c in cardholders)
        {
            AppendCsvRow(row.Clear(), c);
            writer.Write(row);
        }
    }

    public static void WriteJson(Stream stream, IEnumerable<CardholderRecord> cardholders)
    {
        using var json = new Utf8JsonWriter(stream, JsonOptions);
        json.WriteStartObject();
        json.WriteStartArray("cardholders");
        var n = 0;
        foreach (var c in cardholders)
        {
            WriteJsonObject(json, c);
            if (++n % 256 == 0)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>One CSV line (with its newline), in <see cref="Columns"/> order.</summary>
    public static void AppendCsvRow(StringBuilder sb, CardholderRecord c)
    {
        sb.Append(CultureInfo.InvariantCulture, $"{c.Index}");
        AppendCsvField(sb, c.Pan);
        AppendCsvField(sb, CardNetworks.Name(c.Network));
        AppendCsvField(sb, c.Expiry);
        AppendCsvField(sb, c.Cvv);
        AppendCsvField(sb, c.HolderName);
        AppendCsvField(sb, c.IdNumber);
        AppendCsvField(sb, c.Phone);
        sb.Append(CultureInfo.InvariantCulture, $",{c.BalanceMinor},{c.DailyLimitMinor}");
        AppendCsvField(sb, c.Currency);
        AppendCsvField(sb, c.Status);
        AppendCsvField(sb, Personas.Name(c.Persona));
        AppendCsvField(sb, c.Locale);
        AppendCsvField(sb, c.InputHolderName);
        AppendCsvField(sb, c.InputIdNumber);
        AppendCsvField(sb, c.InputPhone);
        AppendCsvField(sb, c.ExpectedResponseCode);
        AppendCsvField(sb, c.ExpectedDeclineReason);
        sb.Append(c.IsMagic ? ",true\n" : ",false\n");
    }

    /// <summary>One cardholder as the JSON object of the export (the camelCase names of GET /v1/cardholders plus index).</summary>
    public static void WriteJsonObject(Utf8JsonWriter json, CardholderRecord c)
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
    }

    private static void AppendCsvField(StringBuilder sb, string value)
    {
        sb.Append(',');
        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            sb.Append(value);
            return;
        }

        sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
