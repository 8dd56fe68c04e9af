namespace EventStoreTools.Core.Tests;

/// <summary>Finds the fixtures reSolve wrote (tests/fixtures) and makes scratch copies of them, so no test writes beside them.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixture(string relative) => Path.Combine(RepoRoot, "tests", "fixtures", relative);

    public static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "est-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string CopyFixture(string relative)
    {
        var target = Path.Combine(NewDirectory(), Path.GetFileName(relative));
        File.Copy(Fixture(relative), target);
        File.SetAttributes(target, FileAttributes.Normal);
        return target;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventStoreTools.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("EventStoreTools.sln not found above the test binaries.");
    }
}
