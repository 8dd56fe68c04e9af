using EventStoreTools.Core.Parameters;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class ParameterRuleTests
{
    private static readonly ParameterRule[] Rules =
    [
        ParameterRule.OneOf("the events come from one place.", "InputObject", "InFile", "Directory"),
        ParameterRule.Needs("Encoding", "it is the charset of the file read.", "InFile"),
        ParameterRule.NotWith("Follow", "a file is written once, when the export ends.", "OutFile", "Directory"),
    ];

    [Fact]
    public void Nothing_given_breaks_no_rule() => Assert.Null(ParameterRules.FirstProblem(Rules, []));

    [Fact]
    public void Two_of_one_of_are_named_with_the_reason()
    {
        Assert.Equal("-InFile and -Directory cannot be used together: the events come from one place.",
            ParameterRules.FirstProblem(Rules, ["InFile", "Directory"]));
        Assert.Equal("-InputObject, -InFile and -Directory cannot be used together: the events come from one place.",
            ParameterRules.FirstProblem(Rules, ["directory", "infile", "inputobject"]));
    }

    [Fact]
    public void A_parameter_without_what_it_needs_names_what_to_add()
    {
        Assert.Equal("-Encoding needs -InFile: it is the charset of the file read.", ParameterRules.FirstProblem(Rules, ["Encoding"]));
        Assert.Null(ParameterRules.FirstProblem(Rules, ["Encoding", "InFile"]));
    }

    [Fact]
    public void A_parameter_with_what_it_excludes_names_both()
    {
        Assert.Equal("-Follow cannot be used with -Directory: a file is written once, when the export ends.",
            ParameterRules.FirstProblem(Rules, ["Follow", "Directory"]));
        Assert.Null(ParameterRules.FirstProblem(Rules, ["Follow"]));
    }

    [Fact]
    public void Each_rule_lists_the_parameters_it_names() =>
        Assert.Equal(["Follow", "OutFile", "Directory"], Rules[2].Parameters);
}
