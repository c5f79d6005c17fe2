using System.Globalization;
using System.Net;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>An address or a network (a.b.c.d/n, x::/n) of the allow-list.</summary>
    internal sealed class AddressRange
    {
        private readonly byte[] _network;
        private readonly int _bits;

        private AddressRange(byte[] network, int bits)
        {
            _network = network;
            _bits = bits;
        }

        public static AddressRange Parse(string text)
        {
            var t = (text ?? "").Trim();
            var slash = t.IndexOf('/');
            var addressText = slash < 0 ? t : t.Substring(0, slash);
            if (IPAddress.TryParse(addressText, out var address))
            {
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                var bytes = address.GetAddressBytes();
                var bits = bytes.Length * 8;
                if (slash < 0 || (int.TryParse(t.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits <= bytes.Length * 8))
                    return new AddressRange(bytes, bits);
            }
            throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaAllowedAddressIsInvalid",
                $"'{t}' is neither an IP address nor a network such as 185.45.152.0/24.") { Field = "AllowedAddresses" };
        }

        public bool Contains(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            if (bytes.Length != _network.Length) return false;
            for (var bit = 0; bit < _bits; bit++)
            {
                var mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (_network[bit / 8] & mask)) return false;
            }
            return true;
        }
    }
}
