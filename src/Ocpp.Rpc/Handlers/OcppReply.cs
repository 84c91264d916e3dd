using System.Text.Json;

namespace Ocpp.Rpc;

/// <summary>What a handler answers: a CALLRESULT payload, or no reply at all.</summary>
public readonly struct OcppReply
{
    private OcppReply(OcppPayload payload, bool noReply)
    {
        Payload = payload;
        IsNoReply = noReply;
    }

    /// <summary>
    /// Send nothing. The peer's call will time out unless the application answers it some other way; useful for
    /// SEND handlers and for tests of peers' timeouts.
    /// </summary>
    public static OcppReply NoReply { get; } = new(default, true);

    /// <summary>Answer with the empty object <c>{}</c>.</summary>
    public static OcppReply Empty { get; } = new(OcppPayload.Empty, false);

    /// <summary>The payload to answer with.</summary>
    public OcppPayload Payload { get; }

    /// <summary>Whether no CALLRESULT is sent.</summary>
    public bool IsNoReply { get; }

    /// <summary>Answer with a payload.</summary>
    /// <param name="payload">The CALLRESULT payload.</param>
    public static OcppReply With(OcppPayload payload) => new(payload, false);

    /// <summary>Answers with a payload.</summary>
    /// <param name="payload">The CALLRESULT payload.</param>
    public static implicit operator OcppReply(OcppPayload payload) => new(payload, false);

    /// <summary>Answers with a JSON element.</summary>
    /// <param name="element">The CALLRESULT payload (an object or null).</param>
    public static implicit operator OcppReply(JsonElement element) => new(OcppPayload.FromElement(element), false);
}
