using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Sms;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Sms;

public sealed class SmsGatewayTests
{
    [Fact]
    public void OtpText_IsInTheCardholdersLanguage_AndTheCodeParsesBack()
    {
        var zh = SmsText.Otp("zh_CN", "123456", TimeSpan.FromMinutes(5));
        var en = SmsText.Otp("en", "654321", TimeSpan.FromMinutes(5));

        Assert.StartsWith("【模拟银行】验证码 123456，5分钟内有效", zh);
        Assert.StartsWith("[SimBank] Your verification code is 654321. It expires in 5 minutes.", en);
        Assert.Equal("123456", SmsText.ParseOtp(zh));
        Assert.Equal("654321", SmsText.ParseOtp(en));
        Assert.Equal("", SmsText.ParseOtp("call 1234567 now"));
    }

    [Fact]
    public void StartBinding_SendsTheOtpInTheCardholdersLanguage()
    {
        var issuer = new TestIssuer();
        var en = issuer.Registry.All.First(c => c.Persona == Persona.Healthy && c.Locale == "en");
        var zh = issuer.Registry.All.First(c => c.Persona == Persona.Healthy && c.Locale == "zh_CN");
        issuer.Start(en);
        issuer.Start(zh);

        var enSms = Assert.Single(issuer.State.Inbox.List(en.Phone));
        var zhSms = Assert.Single(issuer.State.Inbox.List(zh.Phone));
        Assert.StartsWith("[SimBank] Your verification code is " + enSms.Otp, enSms.Text);
        Assert.Equal("SimBank", enSms.Sender);
        Assert.StartsWith("【模拟银行】验证码 " + zhSms.Otp, zhSms.Text);
    }

    [Fact]
    public void SlowSmsPersona_IsDeliveredOnlyWhenTheDelayHasPassed()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.SlowSms);
        Assert.Equal("00", issuer.Start(card).Code);

        issuer.Time.Advance(TestIssuer.SlowSmsDelay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(issuer.State.Inbox.List(card.Phone));
        issuer.Time.Advance(TimeSpan.FromMilliseconds(1));
        var m = Assert.Single(issuer.State.Inbox.List(card.Phone));
        Assert.Equal(TestIssuer.SlowSmsDelay, m.DeliveredAt - m.SentAt);
    }

    [Fact]
    public void UnreachablePersona_NeverReceives_EvenAnHourLater()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.SmsUnreachable);
        var outcome = issuer.Sms.Send(card.Phone, "code 123456", "x", "c");

        issuer.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal((false, "unreachable"), (outcome.Accepted, outcome.Status));
        Assert.Empty(issuer.State.Inbox.List(card.Phone));
    }

    [Fact]
    public async Task WaitAsync_TimesOutOnTheTimeProvider_AndWakesOnDelivery()
    {
        var issuer = new TestIssuer();
        var wait = issuer.State.Inbox.WaitAsync("13800001111", 0, TimeSpan.FromSeconds(10), CancellationToken.None);
        issuer.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await wait);

        var second = issuer.State.Inbox.WaitAsync("13800001111", 0, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(second.IsCompleted);
        issuer.Sms.Send("13800001111", "验证码 246810", "模拟银行", "b1");
        var m = await second;
        Assert.Equal(("246810", 1L), (m!.Otp, m.Sequence));
    }

    [Fact]
    public void DeliveryPolicy_CanDropAndDuplicate()
    {
        var issuer = new TestIssuer();
        issuer.Sms.Policy = new Duplicating();
        issuer.Sms.Send("13800002222", "code 111111", "s", "c");
        Assert.Equal(2, issuer.State.Inbox.List("13800002222").Count);
    }

    private sealed class Duplicating : ISmsDeliveryPolicy
    {
        public SmsDeliveryPlan Adjust(string phone, string correlationId, SmsDeliveryPlan plan) => plan with { Copies = 2 };
    }
}
