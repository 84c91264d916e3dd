using System.Reflection;

namespace Ocpp.CodeGen;

/// <summary>The <c>ocpp-codegen</c> command line: parses arguments, runs the generator, reports errors without stack traces.</summary>
public static class CommandLine
{
    /// <summary>Exit code: a schema could not be generated from.</summary>
    public const int SchemaErrors = 1;

    /// <summary>Exit code: the command line is wrong.</summary>
    public const int UsageError = 2;

    private const string Usage = """
        Usage: ocpp-codegen [options] <schema file or folder>...

        Generates C# records, enums with their converters, a source-generated JsonSerializerContext and an action table
        from OCPP JSON schemas (draft-04/06/07), for Ocpp.Rpc's typed CallAsync, handlers and native AOT.

        Inputs: per-action schema files as the OCA ships them (BootNotificationRequest.json + BootNotificationResponse.json,
        or 1.6's BootNotification.json + BootNotificationResponse.json; a file without a Request/Response pair is a
        one-way SEND message outside 1.x), folders of them, and bundle files (a JSON array of schemas whose $id is
        urn:<Action>Request / urn:<Action>Response / urn:<Action>.req / urn:<Action>.conf).
        A request schema with "x-ocpp-data-transfer": {"vendorId": "...", "messageId": "..."} is a vendor DataTransfer
        payload (the data field) rather than an action: use it with CallDataTransferAsync and HandleDataTransfer.

        Options:
          -n, --namespace <name>   C# namespace of the generated code (required)
          -p, --protocol <name>    subprotocol: ocpp1.6, ocpp2.0.1, ocpp2.1 or a custom name (required)
          -o, --out <folder>       output folder; other .cs files in it are deleted (required)
              --prefix <name>      prefix of <prefix>JsonContext and <prefix>Actions (default: last namespace segment)
              --vendor-id <id>     vendorId of DataTransfer schemas whose x-ocpp-data-transfer has none
          -h, --help               show this help
              --version            show the version

        Exit codes: 0 done, 1 schema errors (printed as file: #/json/pointer: message), 2 usage error.

        In the repository, the library's own messages: ocpp-codegen --schemas schemas --out src/Ocpp.Rpc.Messages/Generated
        """;

    /// <summary>Runs the tool.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where progress goes.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <returns>The exit code.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? ns = null, protocol = null, output = null, prefix = null, vendorId = null, schemaRoot = null;
        var inputs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    return args[++i];
                }

                return null;
            }

            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    stdout.WriteLine(Usage);
                    return 0;
                case "--version":
                    stdout.WriteLine(typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
                    return 0;
                case "-n" or "--namespace":
                    ns = Value() ?? Missing(arg);
                    break;
                case "-p" or "--protocol":
                    protocol = Value() ?? Missing(arg);
                    break;
                case "-o" or "--out":
                    output = Value() ?? Missing(arg);
                    break;
                case "--prefix":
                    prefix = Value() ?? Missing(arg);
                    break;
                case "--vendor-id":
                    vendorId = Value() ?? Missing(arg);
                    break;
                case "--schemas":
                    schemaRoot = Value() ?? Missing(arg);
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        return Fail(stderr, $"unknown option '{arg}'");
                    }

                    inputs.Add(arg);
                    break;
            }

            if (ns == string.Empty || protocol == string.Empty || output == string.Empty || prefix == string.Empty || vendorId == string.Empty || schemaRoot == string.Empty)
            {
                return Fail(stderr, $"option '{arg}' needs a value");
            }
        }

        if (schemaRoot is not null)
        {
            // The repository's own messages from schemas/v16, v201, v21.
            if (output is null || ns is not null || protocol is not null || inputs.Count > 0)
            {
                return Fail(stderr, "--schemas <folder> takes only --out <folder>");
            }

            return Guard(stderr, () => stdout.WriteLine($"ocpp-codegen: wrote {CodeGenerator.Run(schemaRoot, output)} files to {output}"));
        }

        if (inputs.Count == 0)
        {
            return Fail(stderr, "no schema file or folder given");
        }

        if (ns is null || protocol is null || output is null)
        {
            return Fail(stderr, "--namespace, --protocol and --out are required");
        }

        if (!IsNamespace(ns))
        {
            return Fail(stderr, $"'{ns}' is not a C# namespace");
        }

        prefix ??= Naming.Pascal(ns[(ns.LastIndexOf('.') + 1)..]);
        if (!IsIdentifier(prefix))
        {
            return Fail(stderr, $"'{prefix}' is not a C# identifier");
        }

        if (protocol.Any(c => c <= ' ' || c > '~' || c is ',' or '"'))
        {
            return Fail(stderr, $"'{protocol}' is not a WebSocket subprotocol name");
        }

        var target = OcppVersion.ForUser(ns, prefix, protocol);
        return Guard(stderr, () =>
        {
            var files = CodeGenerator.GenerateUser(inputs, target, vendorId);
            CodeGenerator.Write(files, output);
            stdout.WriteLine($"ocpp-codegen: wrote {files.Count} files to {output}");
        });
    }

    private static string Missing(string option) => string.Empty;

    private static int Guard(TextWriter stderr, Action run)
    {
        try
        {
            run();
            return 0;
        }
        catch (SchemaException ex)
        {
            foreach (var error in ex.Errors)
            {
                stderr.WriteLine(error.ToString());
            }

            stderr.WriteLine($"ocpp-codegen: {ex.Errors.Count} error(s), nothing written.");
            return SchemaErrors;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            stderr.WriteLine($"ocpp-codegen: error: {ex.Message}");
            return SchemaErrors;
        }
#pragma warning disable CA1031 // A user sees one line, never a stack trace, even for a bug of the generator.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"ocpp-codegen: internal error ({ex.GetType().Name}): {ex.Message}. Please report it with the schema that caused it.");
            return SchemaErrors;
        }
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"ocpp-codegen: {message}");
        stderr.WriteLine("Run 'ocpp-codegen --help' for usage.");
        return UsageError;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsNamespace(string name) => name.Split('.').All(IsIdentifier);
}
