namespace PaySim.Wallet.Errors;

/// <summary>
/// The one rule for the free-text fields a user types (merchant, orderReference, holderName, name): a length in
/// <see cref="TextLength"/>'s characters, and no control characters. Those values go on into SMS and notification
/// texts, the issuer's ledger and log lines, where a NUL, a bell or a line break would cut or forge a line.
/// Each check returns null or the reason, in the words of the 422 the caller sends.
/// </summary>
internal static class FreeText
{
    /// <summary>A required field: 1 to <paramref name="maxLength"/> characters, not only spaces, no control characters.</summary>
    public static string? CheckRequired(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) || TextLength.Of(value) > maxLength
            ? $"{field} must be 1 to {maxLength} {TextLength.Unit}"
            : ControlCharacterProblem(value, field);

    /// <summary>An optional field: absent (null) is fine; given, at most <paramref name="maxLength"/> characters and no control characters.</summary>
    public static string? CheckOptional(string? value, string field, int maxLength) =>
        value is null ? null
        : TextLength.Of(value) > maxLength ? $"{field} must have at most {maxLength} {TextLength.Unit}"
        : ControlCharacterProblem(value, field);

    /// <summary>
    /// Null, or the reason when <paramref name="value"/> holds a control character: Unicode category Cc
    /// (<see cref="char.IsControl(char)"/>: U+0000–U+001F, U+007F–U+009F, so tab, line feed, NUL and NEL too), or the
    /// Unicode line and paragraph separators U+2028 and U+2029, which are line breaks without being Cc. Format
    /// characters (Cf, such as the zero-width joiner inside emoji) are text and stay allowed.
    /// </summary>
    public static string? ControlCharacterProblem(string? value, string field) =>
        value is not null && value.Any(IsRefused)
            ? $"{field} must not contain control characters such as line breaks"
            : null;

    private static bool IsRefused(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
