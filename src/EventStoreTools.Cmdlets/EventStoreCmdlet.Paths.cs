using EventStoreTools.Core;
using System.Collections.ObjectModel;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using WildcardPattern = System.Management.Automation.WildcardPattern;

namespace EventStoreTools.Cmdlets;

/// <summary>Provider paths: the one file a parameter names, the files a reading cmdlet's paths name.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>
    /// The one file or folder a parameter names (a store to write, -InFile, -OutFile, -Directory): ~, relative paths
    /// and PSDrives work; wildcards are expanded and must match one item (several are an error); a pattern that
    /// matches nothing names a file to create, taken literally, as Out-File does. A path to write to whose pattern
    /// matches an item of another name is refused: 'st[1].db' would otherwise replace st1.db, which the user did not name.
    /// </summary>
    protected string ResolveFilePath(string path, bool literal = false, bool forReading = false)
    {
        var paths = ResolvePaths(path, literal, out var pattern);
        if (paths.Count > 1)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The path '{path}' matches {Quantity.Of(paths.Count, "item")} ({string.Join(", ", paths.Take(3))}{(paths.Count > 3 ? ", ..." : "")}); it must name one. Use -LiteralPath or escape wildcard characters with `."),
                ErrorIdPrefix + "AmbiguousPath", ErrorCategory.InvalidArgument, path));
        }
        if (pattern is null) return paths[0];
        var named = WildcardPattern.Unescape(pattern);
        var namedPath = UnresolvedPath(named, path);
        if (paths.Count == 0) return namedPath;
        if (!forReading && !string.Equals(paths[0], namedPath, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The path '{path}' is a wildcard pattern that matches '{paths[0]}', another name: nothing is written to a file that was not named. " +
                    $"To write to '{named}' itself, escape its wildcard characters with a backtick ('{WildcardPattern.Escape(named)}') or give a store with -LiteralPath; to write to '{System.IO.Path.GetFileName(paths[0])}', name it."),
                ErrorIdPrefix + "WildcardMatchedOtherName", ErrorCategory.InvalidArgument, path));
        }
        return paths[0];
    }

    /// <summary>
    /// The files a reading cmdlet's -Path (wildcards expanded) or -LiteralPath names. A pattern that matches nothing
    /// is reported as a non-terminating error, as Get-Item does; a plain path is kept even when missing, so the
    /// store reports it as not found.
    /// </summary>
    protected IReadOnlyList<string> ResolveReadPaths(string path, bool literal)
    {
        var paths = ResolvePaths(path, literal, out var pattern);
        if (pattern is not null && paths.Count == 0)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No store matches '{path}'. Check the path: a wildcard pattern matches only files that exist."),
                ErrorIdPrefix + "StoreNotFound", ErrorCategory.ObjectNotFound, path));
        }
        return paths;
    }

    /// <summary>Paths a wildcard pattern matches (set in <paramref name="pattern"/>), or the one path a plain or literal path names.</summary>
    private List<string> ResolvePaths(string path, bool literal, out string? pattern)
    {
        pattern = null;
        RequireUsablePath(path);
        if (literal) return [UnresolvedPath(path, path)];
        // Escaped wildcard characters (`[) name themselves, as in every cmdlet's -Path.
        if (!WildcardPattern.ContainsWildcardCharacters(path)) return [UnresolvedPath(WildcardPattern.Unescape(path), path)];
        pattern = path;
        Collection<string> matches;
        ProviderInfo provider;
        try
        {
            matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
        }
        catch (ItemNotFoundException)
        {
            return [];
        }
        catch (SessionStateException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "InvalidPath", ErrorCategory.ObjectNotFound, path));
            throw;
        }
        RequireFileSystem(provider, path);
        Tell($"'{path}' matches {Quantity.Of(matches.Count, "item")}: {string.Join(", ", matches)}.");
        return [.. matches];
    }

    private string UnresolvedPath(string path, string given)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (SessionStateException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "InvalidPath", ErrorCategory.ObjectNotFound, given));
            throw;
        }
        RequireFileSystem(provider, given);
        if (string.IsNullOrWhiteSpace(System.IO.Path.GetFileName(resolved.TrimEnd('/', '\\'))))
            ThrowInvalidPath($"The path '{given}' names a blank file name: give the file a name.", given);
        return resolved;
    }

    /// <summary>A NUL would reach the file system APIs as a bare ArgumentException; a blank path would create a file named ' '.</summary>
    private void RequireUsablePath(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
            ThrowInvalidPath("The path contains a NUL character (\\0), which no file name may hold.", path.Replace("\0", "\\0", StringComparison.Ordinal));
        if (string.IsNullOrWhiteSpace(path))
            ThrowInvalidPath("The path is blank: give the file a name.", path);
    }

    /// <summary>Stores and files live on the file system: Env:, Variable: and other providers would silently get a plain file of that name.</summary>
    private void RequireFileSystem(ProviderInfo provider, string path)
    {
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The path '{path}' is on the {provider.Name} provider: stores and files must be file system paths."),
                ErrorIdPrefix + "NotAFileSystemPath", ErrorCategory.InvalidArgument, path));
        }
    }

    private void ThrowInvalidPath(string message, string path) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), ErrorIdPrefix + "InvalidPath", ErrorCategory.InvalidArgument, path));
}
