using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Accounts;

/// <summary>What a phone, password and payment PIN must look like. Each check returns null or the reason.</summary>
internal static partial class CredentialRules
{
    public const int MaxPasswordLength = 128;

    [GeneratedRegex(@"^\+?[0-9]{6,15}$")]
    private static partial Regex PhonePattern();

    /// <param name="field">How the message names the field (binding: "phone (the phone reserved with the bank)").</param>
    public static string? CheckPhone(string? phone, string field = "phone") =>
        phone is not null && PhonePattern().IsMatch(phone)
            ? null
            : $"{field} must be 6 to 15 digits, optionally starting with + (e.g. 13812345678 or +447700900123)";

    public static string? CheckPassword(string? password, string? phone, int minLength)
    {
        if (string.IsNullOrEmpty(password) || TextLength.Of(password) < minLength)
        {
            return $"password must have at least {minLength} {TextLength.Unit}";
        }

        if (TextLength.Of(password) > MaxPasswordLength)
        {
            return $"password must have at most {MaxPasswordLength} {TextLength.Unit}";
        }

        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            return "password must contain at least one letter and one digit";
        }

        if (phone is not null && password.Contains(phone.TrimStart('+'), StringComparison.Ordinal))
        {
            return "password must not contain the phone number";
        }

        return null;
    }

    /// <summary>True for six ASCII digits: the only shape a payment PIN can have.</summary>
    public static bool IsPinShaped([NotNullWhen(true)] string? pin) => pin is { Length: 6 } && pin.All(char.IsAsciiDigit);

    public static string? CheckPin(string? pin)
    {
        if (!IsPinShaped(pin))
        {
            return "pin must be exactly 6 digits";
        }

        if (pin.All(c => c == pin[0]))
        {
            return "pin must not be one digit repeated (e.g. 111111)";
        }

        var ascending = true;
        var descending = true;
        for (var i = 1; i < pin.Length; i++)
        {
            ascending &= pin[i] - pin[i - 1] == 1;
            descending &= pin[i] - pin[i - 1] == -1;
        }

        return ascending || descending ? "pin must not be a straight run (e.g. 123456 or 654321)" : null;
    }
}
