using System.Buffers;
using System.Text.Json;

namespace Ocpp.Rpc.AspNetCore.Policies;

// Reads the registration status out of a BootNotification CALLRESULT as the handler built it (typed, JSON element or
// raw bytes alike): the payload is written once more into a small buffer and its top-level "status" read. Only
// BootNotification replies pay this, a few times in a station's life.
internal static class BootReply
{
    public static OcppBootStatus? ReadStatus(OcppPayload payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            payload.WriteTo(writer);
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isStatus = reader.ValueTextEquals("status"u8);
            reader.Read();
            if (isStatus && reader.TokenType == JsonTokenType.String)
            {
                return reader.ValueTextEquals("Accepted"u8) ? OcppBootStatus.Accepted
                    : reader.ValueTextEquals("Pending"u8) ? OcppBootStatus.Pending
                    : reader.ValueTextEquals("Rejected"u8) ? OcppBootStatus.Rejected
                    : null;
            }

            reader.Skip();
        }

        return null;
    }
}
