namespace Ocpp.Rpc.Samples.QuickStart;

/// <summary>Prints every OCPP-J message between the two peers, one line each, in wire order.</summary>
/// <remarks>
/// Each message is printed by the side that receives it: <c>CallReceived</c> is raised before the handler runs and
/// <c>ResultReceived</c>/<c>ErrorReceived</c> before the caller's <c>await</c> resumes, so the lines come out in the
/// order of the conversation. (<c>CallSent</c>/<c>ResultSent</c> are raised after the bytes have left, which can be
/// after the peer has already answered.)
/// </remarks>
internal sealed class Transcript(TextWriter output)
{
    private readonly Lock _lock = new();

    /// <summary>Prints the messages <paramref name="connection"/> receives from <paramref name="peer"/>.</summary>
    public void Watch(OcppConnection connection, string self, string peer)
    {
        string route = $"{peer} -> {self}";
        connection.CallReceived += (_, e) => Line($"{route,-16} {"CALL",-10} {e.Action,-20} {e.Payload}");
        connection.ResultReceived += (_, e) => Line($"{route,-16} {"RESULT",-10} {e.Action,-20} {e.Payload}");
        connection.ErrorReceived += (_, e) => Line($"{route,-16} {"ERROR",-10} {e.Action,-20} {e.WireCode}: {e.Description}");
    }

    /// <summary>Prints a comment between the messages.</summary>
    public void Note(string text) => Line("# " + text);

    private void Line(string text)
    {
        lock (_lock)
        {
            output.WriteLine(text);
        }
    }
}
