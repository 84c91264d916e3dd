namespace Ocpp.Rpc.AspNetCore;

/// <summary>The OCPP security profiles (OCPP 1.6 Security Whitepaper, OCPP 2.0.1/2.1 Part 2). A server runs one at a time.</summary>
public enum OcppSecurityProfile
{
    /// <summary>Profile 0: no authentication, plain WebSocket. For development only.</summary>
    None = 0,

    /// <summary>Profile 1: HTTP Basic authentication (username = identity) over a plain WebSocket.</summary>
    BasicAuth = 1,

    /// <summary>Profile 2: TLS (1.2 or later by default) with HTTP Basic authentication.</summary>
    TlsWithBasicAuth = 2,

    /// <summary>Profile 3: mutual TLS; the station's client certificate identifies it.</summary>
    MutualTls = 3,
}
