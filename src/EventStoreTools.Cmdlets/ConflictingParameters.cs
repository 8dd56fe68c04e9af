using System.Management.Automation;
using EventStoreTools.Core.Parameters;

namespace EventStoreTools.Cmdlets;

/// <summary>Refuses, with the module's ConflictingParameters error, parameters given together that make no sense.</summary>
internal static class ConflictingParameters
{
    public static void Refuse(PSCmdlet cmdlet, string errorIdPrefix, IEnumerable<ParameterRule> rules)
    {
        if (ParameterRules.FirstProblem(rules, cmdlet.MyInvocation.BoundParameters.Keys) is { } problem)
            cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), errorIdPrefix + "ConflictingParameters", ErrorCategory.InvalidArgument, null));
    }
}
