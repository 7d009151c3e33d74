namespace PaySim.Simulator.Sms;

internal sealed record SmsMessageRecord(
    string MessageId,
    string Phone,
    string Text,
    string Otp,
    string Sender,
    DateTimeOffset SentAt,
    DateTimeOffset DeliveredAt,
    long Sequence,
    string CorrelationId,
    string Kind = SmsKinds.Otp);
