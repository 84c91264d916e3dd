using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.Extensions.Primitives;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// The server's side of the permessage-deflate negotiation (RFC 7692 §5, §7.1). It accepts the first offer it can
/// honour and, unless context takeover is wanted, answers with <c>server_no_context_takeover</c> and
/// <c>client_no_context_takeover</c> (a server may add both to any offer, §7.1.1): the compressor and decompressor
/// state is then released after every message, so an idle compressed connection costs what an idle plain one does.
/// </summary>
internal static class PerMessageDeflate
{
    private const string Name = "permessage-deflate";

    /// <summary>Picks an offer from the <c>Sec-WebSocket-Extensions</c> headers; false when none is acceptable.</summary>
    public static bool TryNegotiate(StringValues offers, bool contextTakeover, [NotNullWhen(true)] out WebSocketDeflateOptions? options, out string response)
    {
        foreach (string? header in offers)
        {
            foreach (string offer in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryAccept(offer, contextTakeover, out options, out response))
                {
                    return true;
                }
            }
        }

        options = null;
        response = string.Empty;
        return false;
    }

    private static bool TryAccept(string offer, bool contextTakeover, out WebSocketDeflateOptions options, out string response)
    {
        options = null!;
        response = string.Empty;
        string[] parts = offer.Split(';', StringSplitOptions.TrimEntries);
        if (!string.Equals(parts[0], Name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        bool serverNoContext = false, clientNoContext = false, clientBits = false;
        int? serverBits = null;
        foreach (string parameter in parts.AsSpan(1))
        {
            int equals = parameter.IndexOf('=', StringComparison.Ordinal);
            string name = (equals < 0 ? parameter : parameter[..equals]).Trim().ToLowerInvariant();
            string? value = equals < 0 ? null : parameter[(equals + 1)..].Trim().Trim('"');
            bool duplicate;
            switch (name)
            {
                case "server_no_context_takeover" when value is null:
                    (duplicate, serverNoContext) = (serverNoContext, true);
                    break;
                case "client_no_context_takeover" when value is null:
                    (duplicate, clientNoContext) = (clientNoContext, true);
                    break;
                case "server_max_window_bits" when TryBits(value, out int bits):
                    // .NET's deflater cannot use an 8-bit window: an offer that demands one is declined.
                    if (bits < 9)
                    {
                        return false;
                    }

                    (duplicate, serverBits) = (serverBits is not null, bits);
                    break;
                case "client_max_window_bits" when value is null || TryBits(value, out _):
                    // Only a hint that the client can honour a limit; the decompressor accepts any window up to 15.
                    (duplicate, clientBits) = (clientBits, true);
                    break;
                default:
                    return false; // Unknown or malformed parameter: decline this offer (§5.1).
            }

            if (duplicate)
            {
                return false;
            }
        }

        options = new WebSocketDeflateOptions
        {
            ServerContextTakeover = contextTakeover && !serverNoContext,
            ClientContextTakeover = contextTakeover && !clientNoContext,
            ServerMaxWindowBits = serverBits ?? 15,
        };
        response = Name
            + (options.ServerContextTakeover ? string.Empty : "; server_no_context_takeover")
            + (options.ClientContextTakeover ? string.Empty : "; client_no_context_takeover")
            + (serverBits is { } b ? "; server_max_window_bits=" + b.ToString(CultureInfo.InvariantCulture) : string.Empty);
        return true;
    }

    private static bool TryBits(string? value, out int bits) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits is >= 8 and <= 15 && value!.Length <= 2;
}
