using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PaySim.Wallet.Accounts;

internal static class SessionToken
{
    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
