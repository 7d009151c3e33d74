namespace PaySim.Simulator.Tests.Support;

/// <summary>
/// Every gRPC method a node kind serves, written out by hand: the tests check the simulator against
/// this list, so a method added to a proto without being counted and offered to the fault engine fails them.
/// </summary>
internal static class ServedMethods
{
    public static readonly string[] Issuer = ["StartBinding", "ConfirmBinding", "ResendOtp", "Authorize", "Capture", "Refund", "Void", "AuthenticatePayment"];

    public static readonly string[] Sms = ["Send", "ListMessages", "WaitForMessage", "StreamMessages"];
}
