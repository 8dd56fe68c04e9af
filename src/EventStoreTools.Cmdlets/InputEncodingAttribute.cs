using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Lets an -Encoding parameter take what Get-Content -Encoding takes: PowerShell's names (utf8, unicode, latin1, ...),
/// a charset name (iso-8859-1, windows-1252), a code page number or an Encoding object.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class InputEncodingTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        try
        {
            return value switch
            {
                System.Text.Encoding encoding => encoding,
                int codePage => InputEncoding.Resolve(codePage.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                string name => InputEncoding.Resolve(name),
                _ => throw new ArgumentException($"{value} is not an encoding."),
            };
        }
        catch (ArgumentException)
        {
            throw new ArgumentTransformationMetadataException(
                $"'{value}' is not an encoding: give one of {string.Join(", ", InputEncoding.PowerShellNames)}, a charset name such as iso-8859-1 or windows-1252, or a code page number.");
        }
    }
}

/// <summary>Tab completion of PowerShell's encoding names, as Get-Content -Encoding offers them.</summary>
internal sealed class InputEncodingCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        InputEncoding.PowerShellNames
            .Where(name => name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
}
