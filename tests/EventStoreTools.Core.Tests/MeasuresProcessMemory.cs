using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// Tests that measure the process's managed memory (GC.GetTotalMemory) run alone: xunit runs test classes in
/// parallel, and another test's allocations in flight would count as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresProcessMemory
{
    public const string Name = "Measures process memory";
}
