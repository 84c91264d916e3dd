using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Messages.Tests;

/// <summary>Every action of every version, both directions: instances built from the schema survive a round trip.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, string> Schemas()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in Repo.Versions)
        {
            foreach (var s in Repo.Load(version))
            {
                data.Add(version, s.Id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Minimal_instance_round_trips(string version, string id)
    {
        var schema = Find(version, id);
        RoundTrip(version, schema, SampleInstance.Build(schema.Schema, maximal: false));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Maximal_instances_round_trip_with_every_enum_value(string version, string id)
    {
        var schema = Find(version, id);
        var variants = Math.Max(1, SampleInstance.MaxEnumLength(schema.Schema));
        for (var variant = 0; variant < variants; variant++)
        {
            RoundTrip(version, schema, SampleInstance.Build(schema.Schema, maximal: true, variant));
        }
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Missing_required_property_throws(string version, string id)
    {
        var schema = Find(version, id);
        var typeInfo = Repo.TypeInfo(version, schema.Action, schema.IsResponse)!;
        var minimal = (JsonObject)SampleInstance.Build(schema.Schema, maximal: false);
        foreach (var name in minimal.Select(p => p.Key).ToList())
        {
            var copy = (JsonObject)minimal.DeepClone();
            copy.Remove(name);
            var act = () => JsonSerializer.Deserialize(copy.ToJsonString(), typeInfo);
            act.Should().Throw<JsonException>($"{id} requires {name}");
        }
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Null_for_a_required_property_throws(string version, string id)
    {
        var schema = Find(version, id);
        var typeInfo = Repo.TypeInfo(version, schema.Action, schema.IsResponse)!;
        var minimal = (JsonObject)SampleInstance.Build(schema.Schema, maximal: false);
        foreach (var name in minimal.Select(p => p.Key).ToList())
        {
            var copy = (JsonObject)minimal.DeepClone();
            copy[name] = null;
            var act = () => JsonSerializer.Deserialize(copy.ToJsonString(), typeInfo);
            act.Should().Throw<JsonException>($"{id} requires a non-null {name}");
        }
    }

    private static SchemaEntry Find(string version, string id) => Repo.Load(version).Single(s => s.Id == id);

    private static void RoundTrip(string version, SchemaEntry schema, JsonNode input)
    {
        var typeInfo = Repo.TypeInfo(version, schema.Action, schema.IsResponse);
        typeInfo.Should().NotBeNull(schema.Id);
        var json = input.ToJsonString();

        var value = JsonSerializer.Deserialize(json, typeInfo!);
        value.Should().NotBeNull();
        value!.GetType().Name.Should().StartWith(schema.Action);
        var output = JsonSerializer.Serialize(value, typeInfo!);

        JsonSemantic.Equal(input, JsonNode.Parse(output)).Should().BeTrue($"{schema.Id}:\n in:  {json}\n out: {output}");
    }
}
