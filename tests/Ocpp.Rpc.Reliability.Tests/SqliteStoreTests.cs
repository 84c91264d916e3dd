using System.Text;
using Microsoft.Data.Sqlite;
using Ocpp.Rpc.Reliability.Tests.Support;

namespace Ocpp.Rpc.Reliability.Tests;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pending_messages_and_results_survive_reopening_in_order()
    {
        string path = _dir.File("queue.db");
        long answeredId;
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            OcppStoredMessage first = await store.EnqueueAsync("m1", "StartTransaction", Encoding.UTF8.GetBytes("""{"a":1}"""));
            await store.EnqueueAsync("m2", "MeterValues", Encoding.UTF8.GetBytes("""{"a":2}"""));
            OcppStoredMessage third = await store.EnqueueAsync("m3", "StopTransaction", Encoding.UTF8.GetBytes("""{"a":3}"""));
            await store.SetAttemptsAsync(third.Id, 2);
            answeredId = first.Id;
            await store.CompleteAsync(new OcppMessageResult(first.Id, "m1", "StartTransaction", OcppMessageStatus.Answered, """{"transactionId":7}""", null, null, 1, DateTimeOffset.UnixEpoch.AddSeconds(5)));
        }

        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            IReadOnlyList<OcppStoredMessage> pending = await store.LoadPendingAsync();
            pending.Select(m => m.MessageId).Should().Equal("m2", "m3");
            pending.Select(m => Encoding.UTF8.GetString(m.Payload.Span)).Should().Equal("""{"a":2}""", """{"a":3}""");
            pending[1].Attempts.Should().Be(2);
            OcppMessageResult? result = await store.GetResultAsync(answeredId);
            result!.Status.Should().Be(OcppMessageStatus.Answered);
            result.GetResponse().GetProperty("transactionId").GetInt32().Should().Be(7);
            result.CompletedAt.Should().Be(DateTimeOffset.UnixEpoch.AddSeconds(5));
            (await store.GetResultAsync(pending[0].Id)).Should().BeNull("a pending message has no result yet");

            // Ids are never reused, even after the newest row is completed and pruned.
            OcppStoredMessage next = await store.EnqueueAsync("m4", "StopTransaction", "{}"u8.ToArray());
            next.Id.Should().BeGreaterThan(pending[1].Id);
        }
    }

    [Fact]
    public async Task Old_results_are_pruned_beyond_the_retention()
    {
        using SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(_dir.File("queue.db"), new SqliteMessageStoreOptions { RetainedResults = 2 });
        var ids = new List<long>();
        for (int i = 0; i < 5; i++)
        {
            OcppStoredMessage message = await store.EnqueueAsync($"m{i}", "StopTransaction", "{}"u8.ToArray());
            ids.Add(message.Id);
            await store.CompleteAsync(new OcppMessageResult(message.Id, message.MessageId, message.Action, OcppMessageStatus.Answered, "{}", null, null, 1, DateTimeOffset.UtcNow));
        }

        (await store.GetResultAsync(ids[0])).Should().BeNull();
        (await store.GetResultAsync(ids[2])).Should().BeNull();
        (await store.GetResultAsync(ids[3])).Should().NotBeNull();
        (await store.GetResultAsync(ids[4])).Should().NotBeNull();
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_as_corrupted_and_left_unchanged()
    {
        string path = _dir.File("queue.db");
        byte[] garbage = Encoding.ASCII.GetBytes(new string('x', 8192));
        File.WriteAllBytes(path, garbage);

        Action open = () => SqliteOcppMessageStore.Open(path);

        open.Should().Throw<OcppMessageStoreException>().Where(e => e.Failure == OcppMessageStoreFailure.Corrupted && e.Message.Contains(path));
        File.ReadAllBytes(path).Should().Equal(garbage);
    }

    [Fact]
    public async Task A_store_damaged_inside_is_reported_as_corrupted()
    {
        string path = _dir.File("queue.db");
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            byte[] payload = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('p', 900) + "\"}");
            for (int i = 0; i < 200; i++)
            {
                await store.EnqueueAsync($"m{i}", "MeterValues", payload);
            }
        }

        // Checkpointed on close (WAL merged into the main file); overwrite pages in the middle of it.
        using (FileStream file = File.Open(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Length.Should().BeGreaterThan(40_000);
            file.Position = 3 * 4096;
            file.Write(Enumerable.Repeat((byte)0xA5, 4096 * 4).ToArray());
        }

        Action open = () => SqliteOcppMessageStore.Open(path);

        open.Should().Throw<OcppMessageStoreException>().Where(e => e.Failure == OcppMessageStoreFailure.Corrupted);
    }

    [Fact]
    public void Another_database_is_not_taken_over()
    {
        string path = _dir.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER)";
            command.ExecuteNonQuery();
        }

        Action open = () => SqliteOcppMessageStore.Open(path);

        open.Should().Throw<OcppMessageStoreException>().Where(e => e.Failure == OcppMessageStoreFailure.Corrupted && e.Message.Contains("not a message store"));
    }

    [Fact]
    public void A_store_held_by_another_store_is_reported_as_locked_until_released()
    {
        string path = _dir.File("queue.db");
        SqliteOcppMessageStore first = SqliteOcppMessageStore.Open(path);

        Action second = () => SqliteOcppMessageStore.Open(path, new SqliteMessageStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });

        second.Should().Throw<OcppMessageStoreException>().Where(e => e.Failure == OcppMessageStoreFailure.Locked && e.IsTransient && e.Message.Contains("locked"));
        first.Dispose();
        using SqliteOcppMessageStore reopened = SqliteOcppMessageStore.Open(path);
        reopened.FilePath.Should().Be(path);
    }

    [Fact]
    public async Task A_client_on_a_locked_store_fails_at_connect_with_the_store_error()
    {
        var store = new FailingStore();
        await using var client = new OcppClient(Stations.Options(new Uri("ws://127.0.0.1:1/ocpp"), "CP-1", store));

        Func<Task> connect = () => client.ConnectAsync();

        (await connect.Should().ThrowAsync<OcppMessageStoreException>()).Which.Failure.Should().Be(OcppMessageStoreFailure.Locked);
        client.State.Should().Be(OcppClientState.Closed);
    }

    private sealed class FailingStore : IOcppMessageStore
    {
        public ValueTask<IReadOnlyList<OcppStoredMessage>> LoadPendingAsync(CancellationToken cancellationToken = default) =>
            throw new OcppMessageStoreException(OcppMessageStoreFailure.Locked, "locked for the test");

        public ValueTask<OcppStoredMessage> EnqueueAsync(string messageId, string action, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask SetAttemptsAsync(long id, int attempts, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask CompleteAsync(OcppMessageResult result, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<OcppMessageResult?> GetResultAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
