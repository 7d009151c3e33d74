using System.Net;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Tests.EndToEnd;

namespace PaySim.Wallet.Tests.Defects;

/// <summary>The defect planted in src/Wallet/Cards/BindingService.cs, on a real simulator, with and without it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BindingDefectTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoOtpResend_ResendAnswers501WithoutAskingTheIssuer(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.NoOtpResend : null);
        using var user = await cluster.NewUserAsync();
        var start = await Cluster.StartBindingAsync(user, cluster.Cardholder("healthy"));
        Assert.Equal(HttpStatusCode.Created, start.Status);

        var resend = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/resend");

        if (planted)
        {
            Assert.Equal("501 resend_not_supported", resend.Outcome());
            Assert.Equal(0, cluster.CallsPerNode("ResendOtp").Total());
        }
        else
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.Status);
            Assert.Equal("otp_resent", resend.Str("status"));
            Assert.InRange(cluster.CallsPerNode("ResendOtp").Total(), 1, 3);
        }
    }
}
