using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Xml.Linq;

namespace Ocpp.Rpc.Messages.Tests;

/// <summary>
/// The compiler does not report missing XML docs (CS1591) in files marked <c>&lt;auto-generated/&gt;</c>, so this
/// checks the documentation file instead: every public type and member of the package has a summary.
/// </summary>
public sealed class DocumentationTests
{
    [Fact]
    public void Every_public_type_and_member_is_documented()
    {
        var assembly = typeof(V16.V16Actions).Assembly;
        var xmlPath = Path.ChangeExtension(assembly.Location, ".xml");
        File.Exists(xmlPath).Should().BeTrue("the package is built with GenerateDocumentationFile");
        var documented = XDocument.Load(xmlPath).Descendants("member")
            .Where(m => m.Element("summary") is { } s && !string.IsNullOrWhiteSpace(s.Value) || m.Element("inheritdoc") is not null)
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet(StringComparer.Ordinal);

        var missing = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            Check("T:" + type.FullName);
            if (typeof(JsonSerializerContext).IsAssignableFrom(type))
            {
                continue; // members written by the System.Text.Json source generator
            }

            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            foreach (var p in type.GetProperties(Flags))
            {
                Check($"P:{type.FullName}.{p.Name}");
            }

            foreach (var f in type.GetFields(Flags).Where(f => !f.IsSpecialName))
            {
                Check($"F:{type.FullName}.{f.Name}");
            }

            foreach (var m in type.GetMethods(Flags).Where(m => !m.IsSpecialName && !m.IsDefined(typeof(CompilerGeneratedAttribute))))
            {
                var parameters = m.GetParameters();
                var suffix = parameters.Length == 0 ? string.Empty : "(" + string.Join(",", parameters.Select(x => x.ParameterType.FullName!.Replace('&', '@'))) + ")";
                Check($"M:{type.FullName}.{m.Name}{suffix}");
            }
        }

        missing.Should().BeEmpty();

        void Check(string id)
        {
            if (!documented.Contains(id))
            {
                missing.Add(id);
            }
        }
    }
}
