using System.Globalization;
using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Validation.Tests.Reference;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>
/// Strict mode has its own schema reader and evaluator (System.Text.Json, native AOT safe). It is checked against an
/// independent implementation, NJsonSchema, on every official schema: the same payloads valid, the same errors at the
/// same paths, in the same order, except where NJsonSchema departs from JSON Schema (listed in <see cref="Normalize"/>).
/// </summary>
public class NJsonSchemaAgreementTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Protocols() => SchemaFiles.FileNames.Keys.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Every_official_schema_gives_NJsonSchema_s_errors_for_mutations_and_fuzz(string protocol)
    {
        int total = 0, invalid = 0;
        var disagreements = new List<string>();
        foreach ((string action, OcppPayloadKind kind, List<string> payloads) in PayloadCorpus.For(protocol))
        {
            foreach (string text in payloads)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                string[] ours = Shared.Validator.Validate(protocol, action, kind, bytes)?.Errors.ToArray() ?? [];
                string[] theirs = Normalize(NJsonSchemaReference.Validate(protocol, action, kind, bytes), text);
                total++;
                invalid += ours.Length > 0 ? 1 : 0;
                if (!ours.SequenceEqual(theirs))
                {
                    int at = ours.Zip(theirs).TakeWhile(p => p.First == p.Second).Count();
                    disagreements.Add($"{action} {kind} ({ours.Length} vs {theirs.Length} errors, first difference at {at}: "
                        + $"ours {ours.ElementAtOrDefault(at)}, theirs {theirs.ElementAtOrDefault(at)}) {(text.Length > 300 ? text[..300] + "..." : text)}");
                }
            }
        }

        output.WriteLine($"{total} payloads, {invalid} invalid");
        disagreements.Take(20).ToList().ForEach(output.WriteLine);
        disagreements.Should().BeEmpty();
        invalid.Should().BeGreaterThan(total / 3, "the corpus has many invalid payloads").And.BeLessThan(total, "and valid ones");
    }

    /// <summary>
    /// NJsonSchema's errors minus what it reports against JSON Schema: a missing required property of a value that is
    /// not an object at all (<c>required</c> applies to objects only; the value's type error is reported by both).
    /// And cut where strict mode stops listing.
    /// </summary>
    private static string[] Normalize(ReferenceResult? result, string payload)
    {
        if (result is null)
        {
            return [];
        }

        JsonElement? document = TryParse(payload);
        return [.. result.Errors
            .Where(e => e.Violation != OcppSchemaViolation.Required || ParentIsObject(document, e.Path))
            .Select(e => e.Path + ": " + e.Violation)
            .Take(OcppSchemaValidator.MaxErrors)];
    }

    private static JsonElement? TryParse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool ParentIsObject(JsonElement? document, string path)
    {
        int dot = path.LastIndexOf('.');
        if (dot < 0 || document is null)
        {
            return true; // the payload itself: an object (or null, read as {}) once it got this far
        }

        return Find(document.Value, path[..dot]) is { ValueKind: JsonValueKind.Object };
    }

    /// <summary>The value at a path such as <c>a.b[0].c</c>; duplicate property names: the last one.</summary>
    private static JsonElement? Find(JsonElement node, string path)
    {
        JsonElement? current = node;
        foreach (string part in path.Split('.'))
        {
            int bracket = part.IndexOf('[');
            string name = bracket < 0 ? part : part[..bracket];
            current = current is { ValueKind: JsonValueKind.Object } obj
                ? obj.EnumerateObject().LastOrDefault(p => p.Name == name) is { Value.ValueKind: not JsonValueKind.Undefined } p ? p.Value : null
                : null;
            for (int i = bracket; i >= 0 && i < part.Length; i = part.IndexOf('[', i + 1))
            {
                int close = part.IndexOf(']', i);
                int index = int.Parse(part[(i + 1)..close], CultureInfo.InvariantCulture);
                current = current is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
            }
        }

        return current;
    }
}
