using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// A plan's whole-number fields (<c>seed</c>, <c>preboundCards</c>, <c>copies</c>, …) read a JSON number with a zero
/// fraction (<c>1.0</c>) as that whole number: JSON Schema 2020-12 counts it as an integer, so plans/plan.schema.json
/// (<c>"type": "integer"</c>) and editors accept it, and the compiler must not refuse what they accept. A fraction
/// (<c>1.5</c>) or a number past the field's type is refused as before (the compiler's line names the field).
/// </summary>
internal sealed class WholeNumberConverter<T> : JsonConverter<T>
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number
            && reader.TryGetDecimal(out var value)
            && value == decimal.Truncate(value)
            && value >= decimal.CreateChecked(T.MinValue)
            && value <= decimal.CreateChecked(T.MaxValue))
        {
            return T.CreateChecked(value);
        }

        // No message: System.Text.Json says "could not be converted to System.Int32" with the path, which the compiler words.
        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(decimal.CreateChecked(value));
    }
}
