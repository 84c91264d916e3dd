namespace Ocpp.Rpc.Transport;

/// <summary>The WebSocket close codes (RFC 6455 §7.4.1) that OCPP-J uses.</summary>
public static class OcppCloseCodes
{
    /// <summary>Normal closure.</summary>
    public const int Normal = 1000;

    /// <summary>The endpoint is going away (server shutdown, station reboot).</summary>
    public const int GoingAway = 1001;

    /// <summary>Protocol error: too many bad messages, or no subprotocol agreed.</summary>
    public const int ProtocolError = 1002;

    /// <summary>Unsupported data, e.g. a binary frame.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>No close code was given (never sent).</summary>
    public const int NoStatus = 1005;

    /// <summary>The connection dropped without a close frame (never sent).</summary>
    public const int Abnormal = 1006;

    /// <summary>Policy violation, e.g. the identity connected again elsewhere.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>The message is too big to process.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>The server hit an unexpected condition.</summary>
    public const int InternalError = 1011;
}
