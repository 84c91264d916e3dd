using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// The OCPP message log (OcppServerOptions.MessageLog) over real Kestrel and real stations, per version: every frame in
// both directions, one line each, to the logger category and a size-rotated file, secrets masked, long messages cut.
public sealed class MessageLogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ocpp-msglog-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Versions => PolicyCsms.EachVersion;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Every_frame_of_every_connection_is_one_redacted_line_in_the_logger_and_the_file(string protocol)
    {
        var capture = new CapturingLoggerProvider();
        string file = Path.Combine(_directory, "ocpp.log");
        string identity = "cp-" + protocol.Replace('.', '-');
        await using (HostedApp host = await PolicyCsms.StartAsync(
            new() { ["Ocpp:MessageLog:FilePath"] = file },
            services: builder => builder.Logging.AddProvider(capture)))
        {
            await using (OcppConnection station = await PolicyCsms.ConnectAsync(host, identity, protocol))
            {
                await station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol), new OcppCallOptions { MessageId = "a-1" });
                await station.CloseAsync();
            }

            await Await.UntilAsync(() => host.Server.ConnectionCount == 0);
            await using OcppConnection again = await PolicyCsms.ConnectAsync(host, identity, protocol);
            await again.CallAsync("Heartbeat", options: new OcppCallOptions { MessageId = "h-2" });
            await Await.UntilAsync(() => capture.Lines("Ocpp.Rpc.Messages").Count() >= 4);
        }

        string authorize = protocol == OcppProtocols.Ocpp16 ? """{"idTag":"***"}""" : """{"idToken":{"idToken":"***","type":"ISO14443"}}""";
        string[] expected =
        [
            $"[{identity}] {protocol} in [2,\"a-1\",\"Authorize\",{authorize}]",
            $"[{identity}] {protocol} out [3,\"a-1\",{{\"idTagInfo\":{{\"status\":\"Accepted\"}},\"idTokenInfo\":{{\"status\":\"Accepted\"}}}}]",
            $"[{identity}] {protocol} in [2,\"h-2\",\"Heartbeat\",{{}}]",
            $"[{identity}] {protocol} out [3,\"h-2\",{{\"currentTime\":\"2025-01-01T00:00:00Z\"}}]",
        ];
        capture.Lines("Ocpp.Rpc.Messages").Should().Equal(expected);
        capture.Events.Where(e => e.Category == "Ocpp.Rpc.Messages").Should().OnlyContain(e => e.EventName == "OcppMessage" && e.Level == LogLevel.Information);

        // The file has the same lines behind a UTC time stamp, written out when the server stopped.
        string[] lines = await File.ReadAllLinesAsync(file);
        lines.Should().HaveCount(4);
        for (int i = 0; i < 4; i++)
        {
            DateTime.TryParse(lines[i][..24], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out _).Should().BeTrue(lines[i]);
            lines[i][25..].Should().Be(expected[i].Replace("[" + identity + "]", identity, StringComparison.Ordinal));
        }

        string.Join('\n', lines).Should().NotContain("TAG-SECRET-1");
    }

    [Fact]
    public async Task The_file_rotates_by_size_and_keeps_the_configured_number_of_old_files()
    {
        string file = Path.Combine(_directory, "rotating.log");
        await using (HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:MessageLog:FilePath"] = file,
            ["Ocpp:MessageLog:Level"] = "None",
            ["Ocpp:MessageLog:MaxFileSize"] = "4096",
            ["Ocpp:MessageLog:MaxRotatedFiles"] = "2",
        }))
        {
            await using OcppConnection station = await PolicyCsms.ConnectAsync(host, "rotor", OcppProtocols.Ocpp201);
            for (int i = 0; i < 120; i++)
            {
                await station.CallAsync("Heartbeat");
            }
        }

        string[] files = [.. Directory.GetFiles(_directory).Select(Path.GetFileName).Order()!];
        files.Should().Equal("rotating.1.log", "rotating.2.log", "rotating.log");
        foreach (string path in Directory.GetFiles(_directory))
        {
            new FileInfo(path).Length.Should().BeInRange(1, 4096);
        }

        (await File.ReadAllLinesAsync(Path.Combine(_directory, "rotating.1.log"))).Should().OnlyContain(l => l.Contains(" rotor ocpp2.0.1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Long_messages_are_cut_and_nothing_is_formatted_when_the_category_is_off_and_there_is_no_file()
    {
        var capture = new CapturingLoggerProvider(LogLevel.Warning);
        await using (HostedApp host = await PolicyCsms.StartAsync(new() { ["Ocpp:MessageLog:MaxMessageLength"] = "20" }, services: b => b.Logging.AddProvider(capture)))
        {
            await using OcppConnection station = await PolicyCsms.ConnectAsync(host, "quiet", OcppProtocols.Ocpp16);
            await station.CallAsync("Heartbeat");
        }

        capture.Lines("Ocpp.Rpc.Messages").Should().BeEmpty();

        var loud = new CapturingLoggerProvider();
        await using (HostedApp host = await PolicyCsms.StartAsync(new() { ["Ocpp:MessageLog:MaxMessageLength"] = "20", ["Ocpp:MessageLog:Level"] = "Warning" }, services: b => b.Logging.AddProvider(loud)))
        {
            await using OcppConnection station = await PolicyCsms.ConnectAsync(host, "loud", OcppProtocols.Ocpp16);
            await station.CallAsync("Heartbeat", options: new OcppCallOptions { MessageId = "x" });
            await Await.UntilAsync(() => loud.Lines("Ocpp.Rpc.Messages").Count() >= 2);
        }

        loud.Lines("Ocpp.Rpc.Messages").Should().Equal(
            "[loud] ocpp1.6 in [2,\"x\",\"Heartbeat\",{… (22 bytes)",
            "[loud] ocpp1.6 out [3,\"x\",{\"currentTime… (46 bytes)");
        loud.Events.Where(e => e.Category == "Ocpp.Rpc.Messages").Should().OnlyContain(e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Bad_message_log_settings_stop_the_start_naming_their_keys()
    {
        Func<Task> start = () => PolicyCsms.StartAsync(new()
        {
            ["Ocpp:MessageLog:MaxMessageLength"] = "3",
            ["Ocpp:MessageLog:Redact"] = "Passwords,Nonsense",
            ["Ocpp:MessageLog:MaxRotatedFiles"] = "-1",
        });
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "Ocpp:MessageLog:Redact may list None, Passwords, IdTokens, Certificates, All (has 'Nonsense').");

        Func<Task> ranges = () => PolicyCsms.StartAsync(new()
        {
            ["Ocpp:MessageLog:MaxMessageLength"] = "3",
            ["Ocpp:MessageLog:MaxRotatedFiles"] = "-1",
        });
        (await ranges.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "Ocpp:MessageLog:MaxMessageLength must be at least 16 (is 3).",
            "Ocpp:MessageLog:MaxRotatedFiles must be zero or positive (is -1).");
    }
}
