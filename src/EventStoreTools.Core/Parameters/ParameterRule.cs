namespace EventStoreTools.Core.Parameters;

/// <summary>
/// A combination of a command's parameters that makes no sense, with why and what to do instead. Every parameter of a
/// cmdlet binds with every other (one parameter set), so these rules, not the binder's "Parameter set cannot be
/// resolved", are what a user meets.
/// </summary>
public abstract record ParameterRule(string Why)
{
    /// <summary>The message when the rule is broken by the parameters given, or null.</summary>
    public abstract string? Check(IReadOnlySet<string> given);

    /// <summary>Every parameter the rule names (for tests that bind each broken rule).</summary>
    public abstract IReadOnlyList<string> Parameters { get; }

    /// <summary>At most one of these.</summary>
    public static ParameterRule OneOf(string why, params string[] parameters) => new Exclusive(parameters, why);

    /// <summary>A parameter that means something only with one of the others.</summary>
    public static ParameterRule Needs(string parameter, string why, params string[] anyOf) => new Requires(parameter, anyOf, why);

    /// <summary>A parameter that means nothing with any of the others.</summary>
    public static ParameterRule NotWith(string parameter, string why, params string[] others) => new Excludes(parameter, others, why);

    internal static string Named(string parameter) => "-" + parameter;

    internal static string Listed(IEnumerable<string> parameters, string conjunction)
    {
        var names = parameters.Select(Named).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} {conjunction} {names[^1]}";
    }

    private sealed record Exclusive(IReadOnlyList<string> Names, string Why) : ParameterRule(Why)
    {
        public override IReadOnlyList<string> Parameters => Names;

        public override string? Check(IReadOnlySet<string> given)
        {
            var both = Names.Where(given.Contains).ToList();
            return both.Count > 1 ? $"{Listed(both, "and")} cannot be used together: {Why}" : null;
        }
    }

    private sealed record Requires(string Parameter, IReadOnlyList<string> AnyOf, string Why) : ParameterRule(Why)
    {
        public override IReadOnlyList<string> Parameters => [Parameter, .. AnyOf];

        public override string? Check(IReadOnlySet<string> given) =>
            given.Contains(Parameter) && !AnyOf.Any(given.Contains) ? $"{Named(Parameter)} needs {Listed(AnyOf, "or")}: {Why}" : null;
    }

    private sealed record Excludes(string Parameter, IReadOnlyList<string> Others, string Why) : ParameterRule(Why)
    {
        public override IReadOnlyList<string> Parameters => [Parameter, .. Others];

        public override string? Check(IReadOnlySet<string> given)
        {
            if (!given.Contains(Parameter)) return null;
            var with = Others.FirstOrDefault(given.Contains);
            return with is null ? null : $"{Named(Parameter)} cannot be used with {Named(with)}: {Why}";
        }
    }
}

/// <summary>The first broken rule's message among a command's rules, for the parameters given (names compared ignoring case).</summary>
public static class ParameterRules
{
    public static string? FirstProblem(IEnumerable<ParameterRule> rules, IEnumerable<string> given)
    {
        var set = new HashSet<string>(given, StringComparer.OrdinalIgnoreCase);
        return rules.Select(rule => rule.Check(set)).FirstOrDefault(problem => problem is not null);
    }
}
