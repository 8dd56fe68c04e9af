# Dot-sourced by every *.Tests.ps1 in BeforeAll: loads the built module and offers fixture helpers.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:EVENTSTORETOOLS_MODULE) { $env:EVENTSTORETOOLS_MODULE } else { Join-Path $RepoRoot 'out/EventStoreTools/EventStoreTools.psd1' }
$script:Fixtures = Join-Path $RepoRoot 'tests/fixtures'
$ProgressPreference = 'SilentlyContinue'
# The module's warnings are captured, never printed into the test output: each goes into $TestWarnings. A test that
# expects a warning asserts it with its own -WarningVariable (an explicit parameter overrides these defaults).
$script:TestWarnings = [System.Collections.ArrayList]::new()
foreach ($cmdlets in '*-EventStore', '*-EventStoreEvent', '*-IncrementalImport') {
    $PSDefaultParameterValues["${cmdlets}:WarningAction"] = 'SilentlyContinue'
    $PSDefaultParameterValues["${cmdlets}:WarningVariable"] = '+script:TestWarnings'
}
Import-Module $ModuleManifest -Force
. (Join-Path $PSScriptRoot 'ModuleLibraries.ps1')

# CI lays the fixtures out read-only: tests work on copies in $TestDrive.
function Copy-Fixture([string] $Name, [string] $As = (Split-Path $Name -Leaf)) {
    $target = Join-Path $TestDrive $As
    Copy-Item (Join-Path $Fixtures $Name) $target -Force
    Set-ItemProperty $target -Name IsReadOnly -Value $false
    $target
}

function New-TestPath([string] $Name) {
    $path = Join-Path $TestDrive $Name
    Remove-Item $path -Force -ErrorAction Ignore
    $path
}

# Every column of every event, ordered by thread, as one string per row (payload storage type included).
function Get-StoreRows([string] $Path) {
    $query = 'SELECT threadId, threadCounter, timestamp, aggregateId, aggregateVersion, type, payload, typeof(payload) FROM events ORDER BY 1, 2'
    Invoke-SqliteQuery -Path $Path -Query $query | ForEach-Object { $_ -join '|' }
}

function Invoke-SqliteQuery([string] $Path, [string] $Query) {
    Invoke-DbQuery ((Get-ModuleLibraryType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$Path;Pooling=False")) $Query
}

# Rows of a query as object arrays; the connection is opened here and disposed at the end.
function Invoke-DbQuery([System.Data.Common.DbConnection] $Connection, [string] $Query) {
    try {
        $Connection.Open()
        $command = $Connection.CreateCommand()
        $command.CommandText = $Query
        $reader = $command.ExecuteReader()
        while ($reader.Read()) {
            $row = [object[]]::new($reader.FieldCount)
            [void]$reader.GetValues($row)
            , $row
        }
        $reader.Dispose()
    }
    finally { $Connection.Dispose() }
}

function New-TestEvent([int] $Thread = 0, [long] $Counter = 0, [long] $Timestamp = 1000, [string] $Aggregate = 'a', [long] $Version = 1, [string] $Type = 'T', $Payload = $null) {
    @{ threadId = $Thread; threadCounter = $Counter; timestamp = $Timestamp; aggregateId = $Aggregate; aggregateVersion = $Version; type = $Type; payload = $Payload }
}

# The command line that starts this same pwsh again (under `dotnet pwsh` that is dotnet plus pwsh.dll).
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -like 'dotnet*') { , @($exe, [Environment]::GetCommandLineArgs()[0]) }
    else { , @($exe) }
}

# Runs a script in a fresh pwsh -NoProfile with the built module imported; returns its output lines.
function Invoke-FreshPwsh([string] $Script) {
    $command = Get-PwshCommand
    $exe = $command[0]
    $rest = @($command | Select-Object -Skip 1)
    & $exe @rest -NoProfile -NonInteractive -Command "`$ProgressPreference='SilentlyContinue'; Import-Module '$ModuleManifest'; $Script" 2>&1
}

# Runs code as a script file in a fresh pwsh started in a folder, stopping at its first error, as a user runs a
# script with `pwsh -File`; returns the exit code and the output (both streams) as one text.
function Invoke-ScriptInFolder([string] $Code, [string] $Folder, [string] $Name = 'script.ps1') {
    $scriptFile = Join-Path $Folder $Name
    Set-Content $scriptFile "`$ErrorActionPreference = 'Stop'`n$Code"
    $command = Get-PwshCommand
    $output = & $command[0] @($command | Select-Object -Skip 1) -NoProfile -NonInteractive -WorkingDirectory $Folder -File $scriptFile 2>&1 | ForEach-Object { "$_" }
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output -join "`n" }
}

# The progress records a script writes, collected in-process (a console host does not render progress
# when its output is redirected, so this is the only place to see it).
function Get-ProgressRecord([string] $Script, [string] $Preference = 'Continue') {
    $shell = [powershell]::Create()
    try {
        [void]$shell.AddScript("Import-Module '$ModuleManifest'; `$ProgressPreference = '$Preference'; $Script")
        [void]$shell.Invoke()
        if ($shell.HadErrors) { throw "The script failed: $($shell.Streams.Error | Select-Object -First 1)" }
        @($shell.Streams.Progress)
    }
    finally { $shell.Dispose() }
}

# reSolve's cursor text for 256 thread counters (6 bytes big-endian each, base64), built independently of the module.
function ConvertTo-ResolveCursor([long[]] $Counters) {
    $bytes = [byte[]]::new(1536)
    for ($thread = 0; $thread -lt 256; $thread++) {
        $value = $Counters[$thread]
        for ($b = 5; $b -ge 0; $b--) { $bytes[$thread * 6 + $b] = [byte]($value -band 0xFF); $value = $value -shr 8 }
    }
    [Convert]::ToBase64String($bytes)
}

# The starting store of the incremental-import fixtures: reSolve's export of 1000 events, imported keeping ids.
function New-IncrementalBaseStore([string] $Name = 'base.db') {
    $path = New-TestPath $Name
    Import-EventStore $path -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
    $path
}

# A store as the incremental fixtures' expected dumps show it: read order, every field, keys sorted at every
# level; one string (lines joined), which Pester compares much faster than 1000-element arrays.
function Get-StoreDump([string] $Path) { ConvertTo-StoreDump (Export-EventStore $Path) }

function ConvertTo-StoreDump([object[]] $Events) {
    $lines = foreach ($e in $Events) {
        $json = '{{"aggregateId":{0},"aggregateVersion":{1},"payload":{2},"threadCounter":{3},"threadId":{4},"timestamp":{5},"type":{6}}}' -f @(
            [EventStoreTools.Core.Json.JsJson]::QuoteString($e.AggregateId), $e.AggregateVersion, $e.PayloadJson,
            $e.ThreadCounter, $e.ThreadId, $e.Timestamp, [EventStoreTools.Core.Json.JsJson]::QuoteString($e.Type))
        [EventStoreTools.Core.Json.JsonValueEquality]::SortedKeys($json)
    }
    $lines -join "`n"
}

function Get-IncrementalInput([string] $Case) { Join-Path $Fixtures "incremental/$Case.input.ndjson" }

function Get-IncrementalExpected([string] $Case) { (Get-Content (Join-Path $Fixtures "incremental/$Case.expected.dump.ndjson")) -join "`n" }

function Get-PendingCount([string] $Path) {
    (Invoke-SqliteQuery -Path $Path -Query 'SELECT count(*) FROM "events-incremental-import"')[0]
}

# A fresh folder per case, so that "nothing was created" can be checked as "the folder is still empty".
function New-CaseFolder {
    $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $folder | Out-Null
    $folder
}

# Path and hash of every file below a folder: the same before and after means nothing was written, made or deleted.
function Get-FolderSnapshot([string] $Folder) {
    Get-ChildItem $Folder -Recurse -Force -File | Get-FileHash | ForEach-Object { "$($_.Path) $($_.Hash)" }
}

# Runs a command that must fail; returns its ErrorRecord.
function Get-ErrorRecord([scriptblock] $Command) {
    try { & $Command | Out-Null } catch { return $_ }
    throw "The command did not fail: $Command"
}

# Error ids are the cmdlet's name without the dash, then the failure: AddIncrementalImportInvalidInput.
function Assert-ErrorRecord($ErrorRecord, [string] $Command, [string] $ErrorId, [string] $Category) {
    $name = $Command -replace '-', ''
    $ErrorRecord.FullyQualifiedErrorId | Should -Be "$name$ErrorId,EventStoreTools.Cmdlets.${name}Command"
    $ErrorRecord.CategoryInfo.Category | Should -Be $Category
}

# Makes a store of the bad-store corpus (tests/corpus/stores.cases.psd1) in a folder; returns its path and the id
# of its open import, if it has one.
function New-CorpusStore([string] $Kind, [string] $Folder) {
    $path = Join-Path $Folder ($Kind -eq 'MissingFolder' ? 'missing-folder/store.db' : 'store.db')
    $id = switch ($Kind) {
        'Directory' { New-Item -ItemType Directory $path | Out-Null }
        'Text' { Set-Content $path ('not a database ' * 100) }
        'Empty' { New-Item -ItemType File $path | Out-Null }
        'ReadOnly' {
            Import-EventStore $path -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
            Start-IncrementalImport $path
            Set-ItemProperty $path -Name IsReadOnly -Value $true
        }
        'OtherSchema' { Invoke-SqliteQuery $path 'CREATE TABLE people(name TEXT); INSERT INTO people VALUES (''ann'')' }
        'ForeignEvents' { Invoke-SqliteQuery $path 'CREATE TABLE events(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO events(name) VALUES (''ann'')' }
        'ForeignSecrets' {
            Import-EventStore $path -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
            Invoke-SqliteQuery $path 'DROP TABLE secrets; CREATE TABLE secrets(name TEXT, value TEXT); INSERT INTO secrets VALUES (''api'', ''key'')'
        }
        'Missing' { }
        'MissingFolder' { }
        default { throw "No corpus store of kind $Kind." }
    }
    $path, $id
}

# Inserts generated rows with SQLite itself (seconds, not minutes for 100k): $Select may use the row number i.
function Add-GeneratedRows([string] $Path, [int] $Count, [string] $Into, [string] $Select) {
    Invoke-SqliteQuery $Path "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $($Count - 1)) INSERT INTO $Into SELECT $Select FROM n"
}

$script:GeneratedPayload = "json_object('i', i, 'text', 'a payload of a realistic size for an event', 'list', json_array(1, 2, 3))"

# A store of generated events with thread counters from 1000 and aggregates 'generated-*', so that it can be
# appended to the reSolve fixture without collisions.
function New-GeneratedStore([string] $Path, [int] $Count, [long] $FirstTimestamp = 1700000000000) {
    @() | Import-EventStore $Path | Out-Null
    Add-GeneratedRows $Path $Count 'events' "i % 256, 1000 + i / 256, $FirstTimestamp + i, 'generated-' || (i % 1000), i / 1000 + 1, 'GENERATED', $GeneratedPayload"
}

# Events pushed into the open incremental import of a store, as Add-IncrementalImport stores them, newer than
# every event of the incremental fixtures, so that a commit imports them all.
function Add-GeneratedPendingEvents([string] $Path, [int] $Count) {
    Add-GeneratedRows $Path $Count '"events-incremental-import"("timestamp", "aggregateId", "type", "payload", "threadId")' `
        "4200000000000 + i, 'pushed-' || (i % 1000), 'PUSHED', $GeneratedPayload, (4200000000000 + i) % 256"
}

function Get-EventCount([string] $Path) {
    if (-not (Invoke-SqliteQuery $Path "SELECT 1 FROM sqlite_master WHERE name = 'events'")) { return 0 }
    (Invoke-SqliteQuery $Path 'SELECT count(*) FROM events')[0]
}

function Get-IntegrityCheck([string] $Path) { Invoke-SqliteQuery $Path 'PRAGMA integrity_check' | ForEach-Object { $_[0] } }

# Polls a condition; a child process that ends meanwhile fails the wait with its errors.
function Wait-Until([scriptblock] $Condition, [Diagnostics.Process] $Child, [int] $TimeoutSeconds = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ($Child -and $Child.HasExited) { throw "The child pwsh ended early: $($Child.StandardError.ReadToEnd())" }
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting for: $Condition" }
        Start-Sleep -Milliseconds 5
    }
}

# A child pwsh with the built module, its output captured; the caller waits for it or kills it.
function Start-ChildPwsh([string] $Script) {
    $command = Get-PwshCommand
    $start = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command',
            "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleManifest'; $Script")) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    [Diagnostics.Process]::Start($start)
}

function Wait-ChildPwsh([Diagnostics.Process] $Process, [int] $TimeoutSeconds = 60) {
    $output = $Process.StandardOutput.ReadToEndAsync()
    $errors = $Process.StandardError.ReadToEndAsync()
    if (-not $Process.WaitForExit($TimeoutSeconds * 1000)) { $Process.Kill($true); throw 'The child pwsh did not finish.' }
    [pscustomobject]@{ ExitCode = $Process.ExitCode; Output = $output.Result.Trim(); Errors = $errors.Result.Trim() }
}

# Kills a child pwsh as kill -9 does, after a delay; returns whether it had already finished by then.
function Stop-ChildPwshAfter([Diagnostics.Process] $Process, [int] $DelayMilliseconds) {
    Start-Sleep -Milliseconds $DelayMilliseconds
    $finished = $Process.HasExited
    $Process.Kill()
    $Process.WaitForExit()
    $finished
}

# An outcome that must be all or none: $Count is $Before or $Before + $Added, and the latter when the writer had finished.
function Assert-AllOrNone([long] $Count, [long] $Before, [long] $Added, [bool] $Finished) {
    $Count | Should -BeIn @($Before, ($Before + $Added))
    if ($Finished) { $Count | Should -Be ($Before + $Added) -Because 'the writer had finished before the kill' }
}

# The files this process has open under a folder (Linux: /proc/self/fd); elsewhere nothing to check.
function Get-OpenFiles([string] $Folder) {
    if (-not $IsLinux) { return }
    Get-ChildItem "/proc/$PID/fd" -ErrorAction Ignore | ForEach-Object { $_.LinkTarget } | Where-Object { $_ -like "$Folder*" }
}

# A runspace of this process with the module loaded, for StopProcessing (what Ctrl+C does).
function New-ModulePowerShell {
    $ps = [powershell]::Create()
    $ps.AddScript("`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleManifest'").Invoke() | Out-Null
    $ps.Commands.Clear()
    $ps
}

# Stops a running command as Ctrl+C does; returns how long the stop took.
function Stop-ModulePowerShell([powershell] $PowerShell) {
    $PowerShell.InvocationStateInfo.State | Should -Be 'Running' -Because 'the command must still be at work when it is stopped'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $PowerShell.Stop()
    $clock.Elapsed
    $PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
    $PowerShell.Dispose()
}

# Ctrl+C of a command that writes a store: waits until it writes (the journal is there), lets it run on a little,
# stops it within 2 s and checks that it rolled back and let go of every file in the folder.
function Stop-WritingPowerShell([powershell] $PowerShell, [string] $Store, [string] $Folder, [int] $AfterMilliseconds = 200) {
    Wait-Until { Test-Path "$Store-journal" }
    Start-Sleep -Milliseconds $AfterMilliseconds
    (Stop-ModulePowerShell $PowerShell).TotalSeconds | Should -BeLessThan 2
    Get-OpenFiles $Folder | Should -BeNullOrEmpty
    Test-Path "$Store-journal" | Should -BeFalse
}

# A write transaction on a store, as another process's holds one: readers wait until it is disposed.
function Lock-Store([string] $Path) {
    $connection = (Get-ModuleLibraryType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$Path;Pooling=False")
    $connection.Open()
    $command = $connection.CreateCommand()
    $command.CommandText = 'BEGIN EXCLUSIVE'
    [void]$command.ExecuteNonQuery()
    $connection
}

# The temporary files of the module's imports and exports in a folder (.<name>.<32 hex digits>.importing and so on).
function Get-OurTemporaryFiles([string] $Folder) { Get-ChildItem $Folder -Force -File | Where-Object Name -Match '\.[0-9a-f]{32}\.(exporting|importing|replaced)' }

# A host for Invoke-Captured's runspace that keeps every line written to its UI, as the console would show it:
# -WhatIf messages go to the host, not to a stream, so they cannot be redirected in the caller. Compiled once a process.
if (-not ('EventStoreTools.Tests.CapturingHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace EventStoreTools.Tests
{
    public sealed class CapturingHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly CapturingHostUserInterface _ui = new CapturingHostUserInterface();

        public List<string> Lines => _ui.Lines;
        public override string Name => "EventStoreTools.Tests.CapturingHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException("The capturing host has no nested prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("The capturing host has no nested prompt.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    /// <summary>A choice the host was asked to make: its caption, question, choices (without their ampersand) and the default taken.</summary>
    public sealed class RecordedPrompt
    {
        public RecordedPrompt(string caption, string message, string[] choices, string defaultChoice)
        {
            Caption = caption;
            Message = message;
            Choices = choices;
            DefaultChoice = defaultChoice;
        }

        public string Caption { get; }
        public string Message { get; }
        public string[] Choices { get; }
        public string DefaultChoice { get; }
    }

    public sealed class CapturingHostUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _line = new StringBuilder();

        public List<string> Lines { get; } = new List<string>();

        // No console behind it: a cmdlet that needs one learns so from the null.
        public override PSHostRawUserInterface RawUI => null;

        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + "\n");
        public override void WriteErrorLine(string value) => Append(value + "\n");
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        /// <summary>Every choice asked, with the answer it got (its default).</summary>
        public List<RecordedPrompt> Prompts { get; } = new List<RecordedPrompt>();

        // A test never answers: a prompt for input fails it, a choice takes its default, as Enter alone would.
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            var labels = new List<string>();
            foreach (var choice in choices) labels.Add(choice.Label.Replace("&", ""));
            Prompts.Add(new RecordedPrompt(caption, message, labels.ToArray(), defaultChoice < 0 ? null : labels[defaultChoice]));
            return defaultChoice;
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NoInput();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NoInput();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NoInput();
        public override string ReadLine() => throw NoInput();
        public override SecureString ReadLineAsSecureString() => throw NoInput();

        /// <summary>The choices asked since the last call; starts afresh.</summary>
        public RecordedPrompt[] TakePrompts()
        {
            var prompts = Prompts.ToArray();
            Prompts.Clear();
            return prompts;
        }

        /// <summary>The lines written since the last call, a partly written last line included; starts afresh.</summary>
        public string[] TakeLines()
        {
            if (_line.Length > 0) Append("\n");
            var lines = Lines.ToArray();
            Lines.Clear();
            return lines;
        }

        private void Append(string value)
        {
            foreach (var c in value ?? "")
            {
                if (c == '\n') { Lines.Add(_line.ToString().TrimEnd('\r')); _line.Clear(); }
                else _line.Append(c);
            }
        }

        private static PSInvalidOperationException NoInput() =>
            new PSInvalidOperationException("The capturing host of the tests cannot read input: give the command every value it asks for.");
    }
}
'@
}

# Variables that every runspace has of its own, or that mean nothing outside the caller: never copied.
$script:CapturedAutomaticVariables = [System.Collections.Generic.HashSet[string]]::new([string[]]@(
        '_', 'PSItem', 'args', 'input', 'this', 'true', 'false', 'null', 'Error', 'ExecutionContext', 'Host', 'HOME',
        'IsCoreCLR', 'IsLinux', 'IsMacOS', 'IsWindows', 'LASTEXITCODE', 'Matches', 'MyInvocation', 'NestedPromptLevel', 'PID',
        'PSBoundParameters', 'PSCmdlet', 'PSCommandPath', 'PSCulture', 'PSHOME', 'PSScriptRoot', 'PSUICulture', 'PSVersionTable',
        'PWD', 'ShellId', 'StackTrace', 'foreach', 'switch', 'sender', 'EventArgs', 'Event', 'EventSubscriber', '?', '^', '$'),
    [StringComparer]::OrdinalIgnoreCase)

# Runs a script block in a runspace of its own with the built module, whose host keeps what is written to it, so that
# expected -WhatIf messages and warnings are checked instead of printed. The caller's variables and script functions
# that the block uses (and that those functions use) are copied in, objects by reference: assigning a variable inside
# does not change the caller's. Pester's own commands (Should) are not there: assert on the result. Returns Output,
# HostLines (every line written to the host), WhatIf (the host lines that start with "What if: "), Prompts (every
# choice asked, answered with its default as Enter alone would: Caption, Message, Choices, DefaultChoice), Warnings
# (messages) and Errors (records). A terminating error is thrown again here as its ErrorRecord, so `{ Invoke-Captured { ... } } |
# Should -Throw -ErrorId X` works; non-terminating ones are written to this error stream.
# One runspace serves a test file (it is cached in its script scope); what was copied in is removed on the next call.
function Invoke-Captured {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)

    if (-not $script:CapturedShell) {
        $script:CapturedHost = [EventStoreTools.Tests.CapturingHost]::new()
        $runspace = [runspacefactory]::CreateRunspace($CapturedHost)
        $runspace.ThreadOptions = 'ReuseThread'
        $runspace.Open()
        $script:CapturedShell = [powershell]::Create($runspace)
        [void]$CapturedShell.AddScript("`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleManifest'").Invoke()
        $script:CapturedCopies = @{ Variables = @{}; Functions = @{} }
    }
    $proxy = $CapturedShell.Runspace.SessionStateProxy
    foreach ($name in $CapturedCopies.Variables.Keys) { $proxy.PSVariable.Remove($name) }
    foreach ($name in $CapturedCopies.Functions.Keys) { $proxy.InvokeProvider.Item.Remove("function:$name", $false) }

    $script:CapturedCopies = Get-CapturedDependency $ScriptBlock.Ast
    foreach ($name in $CapturedCopies.Variables.Keys) { $proxy.PSVariable.Set($name, $CapturedCopies.Variables[$name]) }
    foreach ($name in $CapturedCopies.Functions.Keys) { [void]$proxy.InvokeProvider.Item.New('function:', $name, $null, $CapturedCopies.Functions[$name]) }

    # A try around the block, as Pester has around a test, makes a statement-terminating error end the block.
    $CapturedShell.Commands.Clear()
    [void]$CapturedShell.AddScript('$CapturedFailure = $null; try { & ([scriptblock]::Create($CapturedBlock)) } catch { $CapturedFailure = $_ }')
    $proxy.PSVariable.Set('CapturedBlock', $ScriptBlock.ToString())
    $CapturedShell.Streams.ClearStreams()
    $output = $CapturedShell.Invoke()
    $failure = $proxy.PSVariable.GetValue('CapturedFailure')
    $hostLines = $CapturedHost.UI.TakeLines()
    $prompts = $CapturedHost.UI.TakePrompts()
    $result = [pscustomobject]@{
        Output = @($output)
        HostLines = $hostLines
        WhatIf = @($hostLines -like 'What if: *')
        Prompts = @($prompts)
        Warnings = @($CapturedShell.Streams.Warning | ForEach-Object Message)
        Errors = @($CapturedShell.Streams.Error)
    }
    foreach ($record in $result.Errors) { $PSCmdlet.WriteError($record) }
    if ($failure) { throw $failure }
    $result
}

# The caller's variables and script functions that an AST uses, and those that the functions use in turn, as they
# are seen from Invoke-Captured's caller: Get-Variable at scope 2 and up (at scope 0 this function's and Invoke-Captured's
# own variables would hide the caller's), Get-Command for functions that belong to no module.
function Get-CapturedDependency([System.Management.Automation.Language.Ast] $Ast) {
    $variables = @{}
    $functions = @{}
    $pending = [System.Collections.Generic.Queue[System.Management.Automation.Language.Ast]]::new()
    $pending.Enqueue($Ast)
    while ($pending.Count) {
        $next = $pending.Dequeue()
        $names = $next.FindAll({ $args[0] -is [System.Management.Automation.Language.VariableExpressionAst] }, $true) |
            ForEach-Object VariablePath | Where-Object IsDriveQualified -EQ $false |
            ForEach-Object { $_.UserPath -replace '^(script|global|local|private):' } |
            Where-Object { -not $CapturedAutomaticVariables.Contains($_) -and -not $variables.ContainsKey($_) } | Sort-Object -Unique
        foreach ($name in $names) {
            # Scope 2 is Invoke-Captured's caller; scopes past the outermost one throw.
            for ($scope = 2; ; $scope++) {
                try { $variable = Get-Variable -Name $name -Scope $scope -ErrorAction Ignore }
                catch [System.ArgumentOutOfRangeException] { break }
                if ($variable) { $variables[$name] = $variable.Value; break }
            }
        }
        $commands = $next.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() } | Where-Object { $_ -and -not $functions.ContainsKey($_) } | Sort-Object -Unique
        foreach ($name in $commands) {
            $function = Get-Command -Name ([WildcardPattern]::Escape($name)) -CommandType Function -ErrorAction Ignore | Select-Object -First 1
            if ($function -and -not $function.Module) {
                $functions[$name] = $function.ScriptBlock.ToString()
                $pending.Enqueue($function.ScriptBlock.Ast)
            }
        }
    }
    @{ Variables = $variables; Functions = $functions }
}
