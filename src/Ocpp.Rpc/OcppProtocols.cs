namespace Ocpp.Rpc;

/// <summary>The OCPP-J WebSocket subprotocol names, as negotiated in <c>Sec-WebSocket-Protocol</c>.</summary>
public static class OcppProtocols
{
    /// <summary>OCPP 1.2.</summary>
    public const string Ocpp12 = "ocpp1.2";

    /// <summary>OCPP 1.5.</summary>
    public const string Ocpp15 = "ocpp1.5";

    /// <summary>OCPP 1.6 (OCPP-J 1.6 with the 2019 errata).</summary>
    public const string Ocpp16 = "ocpp1.6";

    /// <summary>OCPP 2.0 (superseded by 2.0.1).</summary>
    public const string Ocpp20 = "ocpp2.0";

    /// <summary>OCPP 2.0.1.</summary>
    public const string Ocpp201 = "ocpp2.0.1";

    /// <summary>OCPP 2.1.</summary>
    public const string Ocpp21 = "ocpp2.1";

    /// <summary>Every subprotocol name defined by OCPP-J, oldest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Ocpp12, Ocpp15, Ocpp16, Ocpp20, Ocpp201, Ocpp21];

    /// <summary>
    /// Returns the RPC dialect (error-code spelling, framing rules) used by a subprotocol.
    /// Unknown names (vendor protocols) use the OCPP 2.0.1 rules.
    /// </summary>
    /// <param name="protocol">A subprotocol name such as <c>ocpp1.6</c>.</param>
    public static OcppDialect GetDialect(string? protocol) => protocol switch
    {
        Ocpp12 or Ocpp15 or Ocpp16 => OcppDialect.Ocpp16,
        Ocpp21 => OcppDialect.Ocpp21,
        _ => OcppDialect.Ocpp201,
    };
}

/// <summary>The three OCPP-J RPC rule sets; they differ in error-code spellings and message types.</summary>
public enum OcppDialect
{
    /// <summary>OCPP-J 1.6 (and older): 10 error codes with the official 1.6 spellings, message types 2-4; unknown types are ignored.</summary>
    Ocpp16,

    /// <summary>OCPP-J 2.0.1: 12 error codes, message types 2-4; unknown types are answered with MessageTypeNotSupported.</summary>
    Ocpp201,

    /// <summary>OCPP-J 2.1: as 2.0.1 plus CALLRESULTERROR (5) and SEND (6); unknown types are ignored.</summary>
    Ocpp21,
}
