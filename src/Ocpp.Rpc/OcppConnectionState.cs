namespace Ocpp.Rpc;

/// <summary>The life cycle of an <see cref="OcppConnection"/>.</summary>
public enum OcppConnectionState
{
    /// <summary>Messages flow in both directions.</summary>
    Open,

    /// <summary>A close has begun: new calls are refused, in-flight ones may still complete.</summary>
    Closing,

    /// <summary>The link is closed; every call fails at once.</summary>
    Closed,
}
