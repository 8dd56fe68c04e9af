using EventStoreTools.Core.Parameters;

namespace EventStoreTools.Cmdlets;

/// <summary>The parameter combinations that make no sense, refused with the module's own error.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>
    /// Combinations of this cmdlet's parameters that make no sense (every parameter binds with every other, so these
    /// rules say what is wrong, rather than the binder's "Parameter set cannot be resolved").
    /// </summary>
    protected virtual IEnumerable<ParameterRule> ParameterRules => [];

    private static readonly ParameterRule[] StoreRules =
    [
        ParameterRule.OneOf("give the store one way: -Path takes wildcards, -LiteralPath takes the name as it is.", "Path", "LiteralPath"),
    ];

    /// <summary>Refuses, with ConflictingParameters, the parameters given together that make no sense (see <see cref="ParameterRules"/>).</summary>
    protected void RefuseConflictingParameters()
    {
        ConflictingParameters.Refuse(this, ErrorIdPrefix, StoreRules.Concat(ParameterRules));
    }
}
