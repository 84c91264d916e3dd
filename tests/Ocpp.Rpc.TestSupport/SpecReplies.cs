using System.Text.Json;

namespace Ocpp.Rpc.TestSupport;

/// <summary>Checks that a reply of the engine is a spec-correct OCPP-J frame for the dialect.</summary>
public static class SpecReplies
{
    /// <summary>
    /// Asserts that <paramref name="reply"/> is a CALLRESULT, a CALLERROR, or (2.1 only) a CALLRESULTERROR with a
    /// string id, an error code defined for the dialect, a description of at most 255 characters and object details.
    /// </summary>
    /// <returns>The parsed frame.</returns>
    public static JsonElement AssertSpecCorrect(string reply, OcppDialect dialect, string cause)
    {
        string because = $"reply {reply} to {cause}";
        JsonElement frame;
        try
        {
            frame = JsonElement.Parse(reply);
        }
        catch (JsonException)
        {
            Assert.Fail("the server sent invalid JSON: " + because);
            throw;
        }

        frame.ValueKind.Should().Be(JsonValueKind.Array, because);
        int type = frame[0].GetInt32();
        // The id is echoed as sent (even "", which is readable), or "-1" when it could not be read.
        frame[1].ValueKind.Should().Be(JsonValueKind.String, because);
        frame[1].GetString()!.Length.Should().BeLessThanOrEqualTo(36, "an over-long id is never echoed: " + because);
        switch (type)
        {
            case 3:
                frame.GetArrayLength().Should().Be(3, because);
                frame[2].ValueKind.Should().BeOneOf([JsonValueKind.Object, JsonValueKind.Null], because);
                break;
            case 4:
            case 5:
                (type == 4 || dialect == OcppDialect.Ocpp21).Should().BeTrue(because);
                frame.GetArrayLength().Should().Be(5, because);
                OcppErrorCodes.IsDefined(frame[2].GetString()!, dialect).Should().BeTrue(because);
                frame[3].GetString()!.Length.Should().BeLessThanOrEqualTo(255, because);
                frame[4].ValueKind.Should().Be(JsonValueKind.Object, because);
                break;
            default:
                Assert.Fail($"unexpected message type: {because}");
                break;
        }

        return frame;
    }
}
