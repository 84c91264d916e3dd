using System.Globalization;

namespace Ocpp.Rpc.LoadTool;

/// <summary>Minimal <c>--name value</c> / <c>--flag</c> parsing.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public Args(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            string name = args[i][2..];
            string? value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            _values[name] = value;
        }
    }

    public bool Flag(string name) => _values.ContainsKey(name);

    public string String(string name, string fallback) => _values.TryGetValue(name, out string? v) && v is not null ? v : fallback;

    public string Required(string name) => _values.TryGetValue(name, out string? v) && v is not null ? v : throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) => _values.TryGetValue(name, out string? v) && v is not null ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => _values.TryGetValue(name, out string? v) && v is not null ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
