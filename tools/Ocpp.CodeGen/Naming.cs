using System.Text;

namespace Ocpp.CodeGen;

/// <summary>Turns wire names into C# identifiers.</summary>
public static class Naming
{
    /// <summary>
    /// PascalCase identifier from a wire string: splits on every character that is not a letter or digit and
    /// upper-cases the first letter of each part (<c>Energy.Active.Import.Register</c> becomes
    /// <c>EnergyActiveImportRegister</c>, <c>L1-N</c> becomes <c>L1N</c>, <c>limit_L2</c> becomes <c>LimitL2</c>).
    /// </summary>
    /// <param name="wire">The wire string.</param>
    public static string Pascal(string wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var sb = new StringBuilder(wire.Length);
        var startOfPart = true;
        foreach (var c in wire)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                startOfPart = true;
                continue;
            }

            sb.Append(startOfPart ? char.ToUpperInvariant(c) : c);
            startOfPart = false;
        }

        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, "Value");
        }

        return sb.ToString();
    }

    /// <summary>Makes <paramref name="name"/> unique in <paramref name="taken"/> (case-insensitively) by appending 2, 3, ...</summary>
    /// <param name="name">The preferred name.</param>
    /// <param name="taken">Names already used; the result is added.</param>
    public static string Unique(string name, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var candidate = name;
        for (var i = 2; taken.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(candidate);
        return candidate;
    }
}
