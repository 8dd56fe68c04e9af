using System.Text;
using EventStoreTools.Core.Files;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>FileIdentity, AtomicFileOutput and StaleTemporaryFiles on real files.</summary>
public class FileOutputTests
{
    private static void Write(AtomicFileOutput output, int index, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        output.Stream(index).Write(bytes);
    }

    private static string[] HiddenFiles(string folder) =>
        Directory.GetFiles(folder, ".*", new EnumerationOptions { AttributesToSkip = 0 }).Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void One_file_is_recognised_through_a_symbolic_link_a_hard_link_and_dot_dot()
    {
        var folder = TestFiles.NewDirectory();
        var file = Path.Combine(folder, "store.db");
        File.WriteAllText(file, "x");
        var link = Path.Combine(folder, "link.db");
        File.CreateSymbolicLink(link, file);
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        var other = Path.Combine(folder, "other.db");
        File.WriteAllText(other, "x");

        Assert.True(FileIdentity.AreSameFile(file, link));
        Assert.True(FileIdentity.AreSameFile(file, Path.Combine(folder, "sub", "..", "store.db")));
        if (OperatingSystem.IsLinux())
        {
            var hardLink = Path.Combine(folder, "hard.db");
            Assert.Equal(0, LinkFile(file, hardLink));
            Assert.True(FileIdentity.AreSameFile(file, hardLink));
        }
        Assert.False(FileIdentity.AreSameFile(file, other));
        Assert.False(FileIdentity.AreSameFile(file, Path.Combine(folder, "missing.db")));
        Assert.Null(FileIdentity.Of(Path.Combine(folder, "missing", "x.db")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link")]
    private static extern int LinkFile(string existing, string newPath);

    [Fact]
    public void A_file_written_or_replaced_is_no_longer_unchanged()
    {
        var file = Path.Combine(TestFiles.NewDirectory(), "out.ndjson");
        File.WriteAllText(file, "one\n");
        var before = FileIdentity.Of(file)!;
        Assert.True(before.IsUnchangedIn(FileIdentity.Of(file)));
        File.AppendAllText(file, "two\n");
        Assert.False(before.IsUnchangedIn(FileIdentity.Of(file)));

        var again = FileIdentity.Of(file)!;
        var replacement = file + ".new";
        File.WriteAllText(replacement, "one\ntwo\n");
        File.SetLastWriteTimeUtc(replacement, File.GetLastWriteTimeUtc(file));
        File.Move(replacement, file, overwrite: true);
        Assert.False(again.IsUnchangedIn(FileIdentity.Of(file)), "a file of the same length and time that replaced it is another file");
    }

    [Fact]
    public void An_output_appears_only_at_commit_and_leaves_no_temporary()
    {
        var folder = TestFiles.NewDirectory();
        var target = Path.Combine(folder, "events.ndjson");
        File.WriteAllText(target, "old");
        using (var output = AtomicFileOutput.Begin(target))
        {
            Write(output, 0, "new");
            Assert.Equal("old", File.ReadAllText(target));
            Assert.Single(HiddenFiles(folder), name => name.StartsWith(".events.ndjson.") && name.EndsWith(".exporting"));
            output.Commit();
        }
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Empty(HiddenFiles(folder));
    }

    [Fact]
    public void An_output_that_is_not_committed_leaves_the_target_and_no_temporary()
    {
        var folder = TestFiles.NewDirectory();
        var target = Path.Combine(folder, "events.ndjson");
        File.WriteAllText(target, "old");
        using (var output = AtomicFileOutput.Begin(target, Path.Combine(folder, "secrets.ndjson")))
        {
            Write(output, 0, "new");
            Write(output, 1, "new");
        }
        Assert.Equal("old", File.ReadAllText(target));
        Assert.False(File.Exists(Path.Combine(folder, "secrets.ndjson")));
        Assert.Empty(HiddenFiles(folder));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_failure_between_the_renames_of_a_pair_puts_the_old_pair_back(int failingRename)
    {
        var folder = TestFiles.NewDirectory();
        var events = Path.Combine(folder, "events.db");
        var secrets = Path.Combine(folder, "secrets.db");
        File.WriteAllText(events, "old events");
        File.WriteAllText(secrets, "old secrets");
        using (var output = AtomicFileOutput.Begin(events, secrets))
        {
            Write(output, 0, "new events");
            Write(output, 1, "new secrets");
            output.BeforeRename = n => { if (n == failingRename) throw new IOException($"rename {n} failed"); };
            Assert.Throws<IOException>(output.Commit);
        }
        Assert.Equal("old events", File.ReadAllText(events));
        Assert.Equal("old secrets", File.ReadAllText(secrets));
        Assert.Empty(HiddenFiles(folder));
    }

    [Fact]
    public void A_pair_is_replaced_together_and_a_missing_file_of_the_old_pair_is_created()
    {
        var folder = TestFiles.NewDirectory();
        var events = Path.Combine(folder, "events.db");
        var secrets = Path.Combine(folder, "secrets.db");
        File.WriteAllText(events, "old events");
        using (var output = AtomicFileOutput.Begin(events, secrets))
        {
            Write(output, 0, "new events");
            Write(output, 1, "new secrets");
            output.Commit();
        }
        Assert.Equal("new events", File.ReadAllText(events));
        Assert.Equal("new secrets", File.ReadAllText(secrets));
        Assert.Empty(HiddenFiles(folder));
    }

    [Theory]
    [InlineData("written")]
    [InlineData("created")]
    [InlineData("deleted")]
    public void A_target_another_process_changed_meanwhile_is_not_overwritten(string change)
    {
        var folder = TestFiles.NewDirectory();
        var target = Path.Combine(folder, "out.ndjson");
        if (change != "created") File.WriteAllText(target, "old");
        using (var output = AtomicFileOutput.Begin(target))
        {
            Write(output, 0, "mine");
            if (change == "deleted") File.Delete(target);
            else File.WriteAllText(target, "theirs, finished a moment earlier");
            var error = Assert.Throws<EventStoreException>(output.Commit);
            Assert.Equal(EventStoreErrorKind.OutputChanged, error.Kind);
        }
        Assert.Equal(change == "deleted" ? null : "theirs, finished a moment earlier", File.Exists(target) ? File.ReadAllText(target) : null);
        Assert.Empty(HiddenFiles(folder));
    }

    [Fact]
    public void A_symbolic_link_is_written_through_and_stays_a_link()
    {
        var folder = TestFiles.NewDirectory();
        var real = Path.Combine(folder, "real.ndjson");
        var link = Path.Combine(folder, "link.ndjson");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, real);
        var dangling = Path.Combine(folder, "dangling.ndjson");
        File.CreateSymbolicLink(dangling, Path.Combine(folder, "not-yet.ndjson"));
        using (var output = AtomicFileOutput.Begin(link, dangling))
        {
            Write(output, 0, "new");
            Write(output, 1, "created through the link");
            output.Commit();
        }
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(real));
        Assert.Equal("created through the link", File.ReadAllText(Path.Combine(folder, "not-yet.ndjson")));
    }

    [Fact]
    public void Only_temporaries_no_one_holds_are_removed_and_only_ours()
    {
        var folder = TestFiles.NewDirectory();
        var target = Path.Combine(folder, "store.db");
        using var held = OwnedTemporaryFile.Create(target, OwnedTemporaryFile.ImportSuffix, openedByPath: true);
        File.WriteAllText(held.Path + "-journal", "journal of a live import");
        var id = Guid.NewGuid().ToString("N");
        var stale = new[] { $".store.db.{id}.importing", $".store.db.{id}.importing-journal", $".out.ndjson.{Guid.NewGuid():N}.exporting", $".gone.db.{Guid.NewGuid():N}.importing-journal" };
        var notOurs = new[] { ".store.db.123.importing", "store.db.partial", $"x.{id}.importing", $".out.ndjson.{id}.replaced", $".out.ndjson.{id}.exporting-journal" };
        foreach (var name in stale.Concat(notOurs)) File.WriteAllText(Path.Combine(folder, name), "left over");

        var removed = StaleTemporaryFiles.RemoveIn(folder).Select(Path.GetFileName).Order().ToArray();

        Assert.Equal(stale.Order().ToArray(), removed);
        Assert.True(File.Exists(held.Path));
        Assert.True(File.Exists(held.Path + "-journal"));
        foreach (var name in notOurs) Assert.True(File.Exists(Path.Combine(folder, name)), name);
    }
}
