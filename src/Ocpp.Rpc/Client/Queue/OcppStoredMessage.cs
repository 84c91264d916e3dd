namespace Ocpp.Rpc.Client;

/// <summary>A queued transaction message as a store keeps it.</summary>
/// <param name="Id">The store's id: increasing in enqueue order and never reused; the handle id of the message.</param>
/// <param name="MessageId">The OCPP-J message id every attempt is sent with (so the CSMS can tell a retry from a new message).</param>
/// <param name="Action">The action name.</param>
/// <param name="Payload">The request payload, UTF-8 JSON.</param>
/// <param name="Attempts">How many attempts were answered with a CALLERROR or timed out so far.</param>
public sealed record OcppStoredMessage(long Id, string MessageId, string Action, ReadOnlyMemory<byte> Payload, int Attempts);
