namespace PaySim.Simulator.Sms;

/// <param name="Status">queued, dropped or unreachable.</param>
internal readonly record struct SmsSendOutcome(string MessageId, bool Accepted, string Status);
