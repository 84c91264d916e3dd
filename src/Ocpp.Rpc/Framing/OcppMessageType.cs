namespace Ocpp.Rpc;

/// <summary>The OCPP-J message type numbers (first element of every frame).</summary>
public enum OcppMessageType
{
    /// <summary>CALL <c>[2, id, action, payload]</c>: a request.</summary>
    Call = 2,

    /// <summary>CALLRESULT <c>[3, id, payload]</c>: a successful response.</summary>
    CallResult = 3,

    /// <summary>CALLERROR <c>[4, id, code, description, details]</c>: an error response to a CALL.</summary>
    CallError = 4,

    /// <summary>OCPP 2.1 CALLRESULTERROR <c>[5, id, code, description, details]</c>: a CALLRESULT could not be processed.</summary>
    CallResultError = 5,

    /// <summary>OCPP 2.1 SEND <c>[6, id, action, payload]</c>: a one-way message that is never answered.</summary>
    Send = 6,
}
