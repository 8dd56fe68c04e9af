using System.Runtime.InteropServices;
using System.Security.AccessControl;
using System.Text;
using EventStoreTools.Core.Files;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>Who may read the files the module creates: decided before the first byte, and applied on real files.</summary>
public class NewFileAccessTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Theory]
    [InlineData(0b110_100_100, 0b110_100_100, false)] // 0644 stays 0644 (the umask may narrow it further)
    [InlineData(0b110_100_000, 0b110_100_000, false)] // 0640
    [InlineData(0b111_101_101, 0b110_100_100, false)] // 0755: no execute bits carried over
    [InlineData(0b110_000_000, 0b110_000_000, true)]  // 0600: private
    [InlineData(0b100_000_000, 0b110_000_000, true)]  // 0400: the owner keeps read and write, nobody else gets any
    [InlineData(0b110_000_100, 0b110_000_100, false)] // 0604
    public void A_new_file_is_no_more_readable_than_the_file_it_stands_for(int existing, int expected, bool ownerOnly)
    {
        var access = NewFileAccess.From((UnixFileMode)existing);
        Assert.Equal((UnixFileMode)expected, access.UnixMode);
        Assert.Equal(ownerOnly, access.OwnerOnly);
    }

    [Fact]
    public void Secrets_are_their_owners_only_and_anything_else_gets_the_default()
    {
        Assert.Equal(OwnerReadWrite, NewFileAccess.Private.UnixMode);
        Assert.True(NewFileAccess.Private.OwnerOnly);
        Assert.Null(NewFileAccess.Default.UnixMode);
        Assert.False(NewFileAccess.Default.OwnerOnly);
        Assert.Same(NewFileAccess.Default, NewFileAccess.NoWiderThan(null));
        Assert.Same(NewFileAccess.Default, NewFileAccess.NoWiderThan(Path.Combine(TestFiles.NewDirectory(), "missing")));
        Assert.Same(NewFileAccess.Private, NewFileAccess.ForNewStore(fromBackupFolder: true, inputFile: null));
        Assert.Same(NewFileAccess.Default, NewFileAccess.ForNewStore(fromBackupFolder: false, inputFile: "-"));
        Assert.Same(NewFileAccess.Default, NewFileAccess.ForNewStore(fromBackupFolder: false, inputFile: null));
    }

    [Fact]
    public void A_store_restored_from_an_export_is_no_more_readable_than_the_export()
    {
        if (OperatingSystem.IsWindows()) return;
        var export = Path.Combine(TestFiles.NewDirectory(), "export.ndjson");
        File.WriteAllText(export, "");
        File.SetUnixFileMode(export, OwnerReadWrite);
        Assert.Same(NewFileAccess.Private, NewFileAccess.ForNewStore(fromBackupFolder: false, inputFile: export));
        File.SetUnixFileMode(export, OwnerReadWrite | UnixFileMode.GroupRead);
        Assert.Equal(OwnerReadWrite | UnixFileMode.GroupRead, NewFileAccess.ForNewStore(fromBackupFolder: false, inputFile: export).UnixMode);
    }

    /// <summary>
    /// The Windows ACL: the owner, a protected DACL (nothing inherited from the folder) and one entry, full access for
    /// the owner. .NET parses descriptors only on Windows; there the parsed descriptor is checked too.
    /// </summary>
    [Fact]
    public void The_windows_acl_of_a_private_file_is_its_owners_alone()
    {
        const string sid = "S-1-5-21-1004336348-1177238915-682003330-1001";
        var sddl = NewFileAccess.OwnerOnlySddl(sid);
        // O: owner; D:P a protected DACL; (A;;FA;;;sid) allow, no inheritance flags, FILE_ALL_ACCESS, to the owner.
        Assert.Equal($"O:{sid}D:P(A;;FA;;;{sid})", sddl);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sddl, @"\("));
        if (!OperatingSystem.IsWindows()) return;
        var descriptor = new RawSecurityDescriptor(sddl);
        Assert.Equal(sid, descriptor.Owner.Value);
        Assert.True(descriptor.ControlFlags.HasFlag(ControlFlags.DiscretionaryAclProtected), "the folder's entries are not inherited");
        var entry = Assert.IsType<CommonAce>(Assert.Single(descriptor.DiscretionaryAcl!));
        Assert.Equal(AceQualifier.AccessAllowed, entry.AceQualifier);
        Assert.Equal(sid, entry.SecurityIdentifier.Value);
        Assert.Equal(AceFlags.None, entry.AceFlags);
        Assert.Equal(0x1F01FF, entry.AccessMask);
    }

    [Fact]
    public void Outputs_holding_secrets_are_created_private_and_a_replaced_file_keeps_its_mode()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = TestFiles.NewDirectory();
        var events = Path.Combine(folder, "events.db");
        var secrets = Path.Combine(folder, "secrets.db");
        var export = Path.Combine(folder, "export.ndjson");
        File.WriteAllText(export, "old");
        File.SetUnixFileMode(export, OwnerReadWrite);
        using (var output = AtomicFileOutput.Begin([new(events), new(secrets, HoldsSecrets: true), new(export)], []))
        {
            // Private from the start: before the first byte is written.
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(output.TemporaryPath(1)));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(output.TemporaryPath(2)));
            for (var i = 0; i < 3; i++) output.Stream(i).Write(Encoding.UTF8.GetBytes("new"));
            output.Commit();
        }
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(secrets));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(export));
        Assert.Equal("new", File.ReadAllText(export));
        // Not a secret, nothing replaced: the umask's default (group and others may read, unless the umask says no).
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(events) & UnixFileMode.UserRead);
    }

    [Fact]
    public void A_replaced_file_keeps_its_owner_and_group_when_root_replaces_it()
    {
        if (!OperatingSystem.IsLinux() || geteuid() != 0) return;
        var file = Path.Combine(TestFiles.NewDirectory(), "export.ndjson");
        File.WriteAllText(file, "old");
        Assert.Equal(0, chown(file, 4321, 4322));
        using (var output = AtomicFileOutput.Begin(file))
        {
            output.Stream(0).Write("new"u8);
            output.Commit();
        }
        var stat = new StatOutput(file);
        Assert.Equal((4321u, 4322u), (stat.Owner, stat.Group));
    }

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc")]
    private static extern int chown(string path, uint owner, uint group);

    /// <summary>The owner and group as ls shows them, through stat(1) rather than the code under test.</summary>
    private sealed class StatOutput
    {
        public StatOutput(string path)
        {
            var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u %g", path]) { RedirectStandardOutput = true })!;
            var parts = process.StandardOutput.ReadToEnd().Trim().Split(' ');
            process.WaitForExit();
            Owner = uint.Parse(parts[0]);
            Group = uint.Parse(parts[1]);
        }

        public uint Owner { get; }

        public uint Group { get; }
    }
}
