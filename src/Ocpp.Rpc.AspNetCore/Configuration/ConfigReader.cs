using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Ocpp.Rpc.AspNetCore.Configuration;

// Reads plain values from one configuration section, collecting every error with its full key, so a bad appsettings.json
// is reported in one go. Keys that nothing reads are reported too: a misspelt setting must not be silently ignored.
internal sealed class ConfigReader(IConfiguration section, string path, List<string> errors)
{
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public string Path { get; } = path;

    public List<string> Errors { get; } = errors;

    public IConfigurationSection Section(string key)
    {
        _known.Add(key);
        return section.GetSection(key);
    }

    public ConfigReader Child(string key) => new(Section(key), Key(key), Errors);

    public bool Has(string key) => Section(key) is { } child && (child.Value is not null || child.GetChildren().Any());

    public string Key(string key) => Path.Length == 0 ? key : Path + ":" + key;

    public T Read<T>(string key, T current, TryParse<T> parse, string expected)
    {
        string? text = Section(key).Value;
        if (text is null)
        {
            return current;
        }

        if (parse(text.Trim(), out T value))
        {
            return value;
        }

        Errors.Add($"{Key(key)} must be {expected} (is '{text}').");
        return current;
    }

    public int Int(string key, int current) => Read(key, current, static (string s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), "a whole number");

    public long Long(string key, long current) => Read(key, current, static (string s, out long v) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), "a whole number");

    // "" or "none" means "no limit" for the nullable limits (a JSON null reads as an absent key, which keeps the default).
    public int? NullableInt(string key, int? current)
    {
        string? text = Section(key).Value?.Trim();
        if (text is not null && (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return text is null ? current : Int(key, current ?? 0);
    }

    public bool Bool(string key, bool current) => Read(key, current, static (string s, out bool v) => bool.TryParse(s, out v), "true or false");

    // TimeSpan in the configuration format ("00:00:30", "1.00:00:00"), or "Infinite" where a timeout may be infinite.
    public TimeSpan Time(string key, TimeSpan current) => Read(key, current, static (string s, out TimeSpan v) =>
    {
        if (s.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
        {
            v = Timeout.InfiniteTimeSpan;
            return true;
        }

        return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out v);
    }, "a time span such as 00:00:30 (or Infinite)");

    public TEnum Enum<TEnum>(string key, TEnum current)
        where TEnum : struct, Enum =>
        Read(key, current, static (string s, out TEnum v) => System.Enum.TryParse(s, ignoreCase: true, out v) && (System.Enum.IsDefined(v) || s.Contains(',', StringComparison.Ordinal)),
            "one of " + string.Join(", ", System.Enum.GetNames<TEnum>()) + " (or its number)");

    // A list is either an array (Key:0, Key:1, ...) or one comma-separated value (handy in environment variables). It
    // replaces the current list: the configuration binder's habit of appending to a default list is what this avoids.
    public IReadOnlyList<string>? List(string key)
    {
        IConfigurationSection child = Section(key);
        List<IConfigurationSection> items = [.. child.GetChildren()];
        if (items.Count > 0)
        {
            return [.. items.OrderBy(i => int.TryParse(i.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue).Select(i => (i.Value ?? string.Empty).Trim())];
        }

        return child.Value is { } text ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;
    }

    public void ReportUnknownKeys()
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!_known.Contains(child.Key))
            {
                Errors.Add($"{Key(child.Key)} is not a setting here; the settings are {string.Join(", ", _known.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    public delegate bool TryParse<T>(string text, out T value);
}
