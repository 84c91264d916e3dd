using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.AspNetCore.Internal;
using Ocpp.Rpc.AspNetCore.Policies;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// The OCPP message log: a message observer that writes every frame it sees, one line each (time, identity, protocol,
/// direction, the raw JSON with secrets masked and cut at <see cref="OcppMessageLogOptions.MaxMessageLength"/>), to an
/// <see cref="ILogger"/> category and optionally to a size-rotated file. The server makes one for every station when
/// <see cref="OcppServerOptions.MessageLog"/> is set; a client can add one to its connection options'
/// <see cref="OcppConnectionOptions.MessageObservers"/>.
/// </summary>
/// <remarks>
/// With the category's level off and no file, a message costs one <see cref="ILogger.IsEnabled"/> check: nothing is
/// decoded, searched or formatted. Dispose it to flush and close the file (the server disposes its own).
/// </remarks>
public sealed class OcppMessageLog : IOcppMessageObserver, IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly LogLevel _level;
    private readonly int _maxLength;
    private readonly MessageRedactor? _redactor;
    private readonly RotatingLogFile? _file;

    /// <summary>Creates a message log.</summary>
    /// <param name="options">What to write and where; <see cref="OcppMessageLogOptions.Default"/> when null.</param>
    /// <param name="loggerFactory">The logging of the application; <see langword="null"/> writes to the file only.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public OcppMessageLog(OcppMessageLogOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= OcppMessageLogOptions.Default;
        if (Configuration.OcppServerOptionsValidator.ValidateMessageLog(options, "OcppMessageLogOptions.") is { Count: > 0 } failures)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Options = options;
        _logger = loggerFactory?.CreateLogger(options.Category) ?? NullLogger.Instance;
        _level = options.Level;
        _maxLength = options.MaxMessageLength;
        _redactor = options.Redact == OcppRedactions.None ? null : new MessageRedactor(options.Redact);
        if (options.FilePath is { } path)
        {
            ILogger own = loggerFactory?.CreateLogger("Ocpp.Rpc.AspNetCore.OcppMessageLog") ?? NullLogger.Instance;
            _file = new RotatingLogFile(path, options.MaxFileSize, options.MaxRotatedFiles, options.FileQueueLength, own);
        }
    }

    /// <summary>The options the log was made with.</summary>
    public OcppMessageLogOptions Options { get; }

    /// <summary>The full path of the file written, or <see langword="null"/> when there is none.</summary>
    public string? FilePath => _file?.FullPath;

    /// <inheritdoc/>
    public void OnMessage(OcppConnection connection, OcppDirection direction, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(connection);
        bool toLogger = _level != LogLevel.None && _logger.IsEnabled(_level);
        if (!toLogger && _file is null)
        {
            return;
        }

        string text = Format(message);
        string way = direction == OcppDirection.Inbound ? "in" : "out";
        if (toLogger)
        {
            ServerLog.OcppMessage(_logger, _level, connection.Identity, connection.Protocol, way, text);
        }

        if (_file is { } file)
        {
            // The same escaping as the logger's: a station cannot forge lines or control the terminal of whoever reads the file.
            file.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {new OcppLogText(connection.Identity)} {connection.Protocol ?? "-"} {way} {new OcppLogText(text)}"));
        }
    }

    /// <summary>Writes the lines still queued for the file and closes it.</summary>
    public ValueTask DisposeAsync() => _file?.DisposeAsync() ?? ValueTask.CompletedTask;

    private string Format(ReadOnlySpan<byte> message)
    {
        string? text = null;
        if (_redactor is { } redactor && redactor.MayHoldSecrets(message))
        {
            text = redactor.Redact(message) ?? $"(not JSON; {message.Length} bytes not shown, as they may hold secrets)";
        }

        if (text is null)
        {
            // Decode no more than the line keeps: a UTF-8 character is at most 4 bytes.
            int take = (int)Math.Min(message.Length, (long)_maxLength * 4);
            text = Encoding.UTF8.GetString(message[..take]);
        }

        if (text.Length <= _maxLength)
        {
            return text;
        }

        int cut = char.IsHighSurrogate(text[_maxLength - 1]) ? _maxLength - 1 : _maxLength;
        return string.Concat(text.AsSpan(0, cut), $"… ({message.Length} bytes)");
    }
}
