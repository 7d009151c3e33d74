using System.Text;

namespace PaySim.Contracts.Qr;

/// <summary>
/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR): the checksum
/// EMVCo merchant-presented QR codes carry in tag 63, over the payload's UTF-8 bytes. "123456789" gives 0x29B1.
/// </summary>
public static class Crc16
{
    public static ushort CcittFalse(ReadOnlySpan<char> text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, bytes);
        return CcittFalse(bytes);
    }

    public static ushort CcittFalse(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }

            crc &= 0xFFFF;
        }

        return (ushort)crc;
    }
}
