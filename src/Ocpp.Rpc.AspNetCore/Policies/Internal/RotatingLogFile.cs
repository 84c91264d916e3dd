using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore.Internal;

namespace Ocpp.Rpc.AspNetCore.Policies;

// The message log's file: lines are queued (bounded; a full queue drops lines and says so in the file) and written by
// one background task, which rotates the file by size: name.ext -> name.1.ext -> ... -> name.N.ext, the oldest deleted.
internal sealed class RotatingLogFile : IAsyncDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _keep;
    private readonly ILogger _logger;
    private readonly Channel<string> _lines;
    private readonly Task _writer;
    private long _dropped;
    private long _size;

    public RotatingLogFile(string path, long maxSize, int keep, int queueLength, ILogger logger)
    {
        _path = Path.GetFullPath(path);
        _maxSize = maxSize;
        _keep = keep;
        _logger = logger;
        if (Path.GetDirectoryName(_path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(queueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteAsync);
    }

    public string FullPath => _path;

    public void Enqueue(string line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        FileStream? file = null;
        try
        {
            file = Open();
            ChannelReader<string> reader = _lines.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out string? line))
                {
                    if (Interlocked.Exchange(ref _dropped, 0) is > 0 and long dropped)
                    {
                        file = await WriteLineAsync(file, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:O} message log: {dropped} lines dropped (the writer fell behind)")).ConfigureAwait(false);
                    }

                    file = await WriteLineAsync(file, line).ConfigureAwait(false);
                }

                await file.FlushAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A full disk or a bad path must not take the server down: logged once, the file is given up.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ServerLog.MessageLogFileFailed(_logger, ex, _path);
            while (_lines.Reader.TryRead(out _))
            {
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<FileStream> WriteLineAsync(FileStream file, string line)
    {
        byte[] bytes = Utf8.GetBytes(line + "\n");
        if (_size > 0 && _size + bytes.Length > _maxSize)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            Rotate();
            file = Open();
        }

        await file.WriteAsync(bytes).ConfigureAwait(false);
        _size += bytes.Length;
        return file;
    }

    private FileStream Open()
    {
        var file = new FileStream(_path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read | FileShare.Delete, BufferSize = 64 * 1024 });
        _size = file.Length;
        return file;
    }

    private void Rotate()
    {
        string Numbered(int n) => Path.Combine(Path.GetDirectoryName(_path)!, $"{Path.GetFileNameWithoutExtension(_path)}.{n}{Path.GetExtension(_path)}");

        if (_keep == 0)
        {
            File.Delete(_path);
            return;
        }

        File.Delete(Numbered(_keep));
        for (int n = _keep - 1; n >= 1; n--)
        {
            if (File.Exists(Numbered(n)))
            {
                File.Move(Numbered(n), Numbered(n + 1));
            }
        }

        File.Move(_path, Numbered(1));
    }
}
