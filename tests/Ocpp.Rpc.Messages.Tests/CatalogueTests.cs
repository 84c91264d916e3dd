namespace Ocpp.Rpc.Messages.Tests;

public sealed class CatalogueTests
{
    [Theory]
    [InlineData("v16", 39, 0)]
    [InlineData("v201", 64, 0)]
    [InlineData("v21", 90, 1)]
    public void Generated_actions_equal_the_actions_of_the_schema_file(string version, int calls, int sends)
    {
        var schemas = Repo.Load(version);
        var fromSchemas = schemas.Select(s => s.Action).Distinct().Order(StringComparer.Ordinal).ToList();

        Repo.Actions(version).Should().Equal(fromSchemas);
        schemas.Where(s => !s.IsSend).Select(s => s.Action).Distinct().Should().HaveCount(calls);
        schemas.Where(s => s.IsSend).Select(s => s.Action).Should().HaveCount(sends);
        schemas.Count(s => !s.IsResponse && !s.IsSend).Should().Be(calls);
        schemas.Count(s => s.IsResponse).Should().Be(calls);
    }

    [Theory]
    [InlineData("v16")]
    [InlineData("v201")]
    [InlineData("v21")]
    public void Every_schema_has_generated_metadata_and_nothing_else_does(string version)
    {
        foreach (var s in Repo.Load(version))
        {
            Repo.TypeInfo(version, s.Action, s.IsResponse).Should().NotBeNull(s.Id);
            if (s.IsSend)
            {
                Repo.TypeInfo(version, s.Action, response: true).Should().BeNull("a SEND has no response");
            }
        }

        Repo.TypeInfo(version, "NoSuchAction", response: false).Should().BeNull();
        Repo.TypeInfo(version, "bootnotification", response: false).Should().BeNull("action names are case-sensitive");
    }

    [Fact]
    public void Calls_and_sends_split_the_2_1_catalogue()
    {
        V21.V21Actions.Sends.Should().Equal("NotifyPeriodicEventStream");
        V21.V21Actions.Calls.Should().HaveCount(90).And.NotContain("NotifyPeriodicEventStream");
        V16.V16Actions.Sends.Should().BeEmpty();
        V16.V16Actions.Calls.Should().Equal(V16.V16Actions.All);
    }

    [Fact]
    public void Typed_requests_carry_action_protocol_and_metadata()
    {
        Describe<V16.BootNotificationRequest, V16.BootNotificationResponse>().Should().Be(("BootNotification", "ocpp1.6", "BootNotificationRequest", "BootNotificationResponse"));
        Describe<V201.BootNotificationRequest, V201.BootNotificationResponse>().Should().Be(("BootNotification", "ocpp2.0.1", "BootNotificationRequest", "BootNotificationResponse"));
        Describe<V21.BootNotificationRequest, V21.BootNotificationResponse>().Should().Be(("BootNotification", "ocpp2.1", "BootNotificationRequest", "BootNotificationResponse"));

        DescribeSend<V21.NotifyPeriodicEventStreamMessage>().Should().Be(("NotifyPeriodicEventStream", "ocpp2.1", "NotifyPeriodicEventStreamMessage"));
    }

    private static (string, string, string, string) Describe<TRequest, TResponse>()
        where TRequest : IOcppRequest<TRequest, TResponse> =>
        (TRequest.Action, TRequest.Protocol, TRequest.RequestTypeInfo.Type.Name, TRequest.ResponseTypeInfo.Type.Name);

    private static (string, string, string) DescribeSend<T>()
        where T : IOcppSendMessage<T> =>
        (T.Action, T.Protocol, T.MessageTypeInfo.Type.Name);
}
