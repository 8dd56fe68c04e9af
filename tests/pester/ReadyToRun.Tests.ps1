# The first command in a fresh pwsh (issue 15): the module's assemblies are ReadyToRun images, so a copy right after
# Import-Module runs precompiled code instead of waiting for the JIT. The images carry linux-x64 code (build.ps1,
# Publish-ReadyToRun); elsewhere they run from their IL as before, so the runtime check is for linux-x64 only.
BeforeDiscovery {
    $script:OnReadyToRunPlatform = $IsLinux -and [Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'X64'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ModuleFolder = Split-Path $ModuleManifest
    $script:ModuleAssemblies = Get-ChildItem $ModuleFolder -Filter *.dll -Recurse | Where-Object FullName -notmatch '[\\/]runtimes[\\/]'
    # Namespaces of the module's own assemblies and of the libraries in dependencies/.
    $script:ModuleNamespaces = 'EventStoreTools', 'Microsoft.Data.Sqlite', 'SQLitePCL', 'Npgsql', 'ZstdSharp', 'Microsoft.Extensions'

    function script:Test-ReadyToRunImage([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try {
            $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
            try { $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }
            finally { $pe.Dispose() }
        }
        finally { $stream.Dispose() }
    }
}

Describe 'ReadyToRun images' {
    It 'ships every assembly of the module, its own and those in dependencies/, as a ReadyToRun image' {
        $ModuleAssemblies.Count | Should -BeGreaterThan 2
        $notPrecompiled = @($ModuleAssemblies | Where-Object { -not (Test-ReadyToRunImage $_.FullName) } | ForEach-Object Name)
        $notPrecompiled | Should -BeNullOrEmpty
    }

    # The runtime's own JIT events (an in-process EventListener on Microsoft-Windows-DotNETRuntime) name each method it
    # compiles and at which tier; quick JIT (tier 0) is what a method without usable precompiled code gets on its first
    # call. Methods an image lacks (the cmdlet classes', when crossgen2 had only PowerShell Standard's reference
    # assembly) or whose precompiled code the runtime rejects show up here, which a look at the files would not catch.
    It 'quick-JITs none of the module''s methods in a fresh pwsh''s first copy, NDJSON export and import' -Skip:(-not $OnReadyToRunPlatform) {
        $source = New-TestPath 'source.db'
        New-GeneratedStore $source 500
        $folder = Split-Path $source
        $listener = @'
using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
public sealed class QuickJitListener : EventListener {
    public static readonly ConcurrentQueue<string> Methods = new();
    public static volatile bool Recording;
    protected override void OnEventSourceCreated(EventSource source) {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
    }
    protected override void OnEventWritten(EventWrittenEventArgs e) {
        if (!Recording || e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose")) return;
        var flags = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("MethodFlags")]);
        const long QuickJitted = 3;
        if (((flags >> 7) & 7) != QuickJitted) return;
        Methods.Enqueue(e.Payload[e.PayloadNames.IndexOf("MethodNamespace")] + "::" + e.Payload[e.PayloadNames.IndexOf("MethodName")]);
    }
}
'@
        $output = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
$listener
'@
`$listening = [QuickJitListener]::new()
Start-Sleep -Milliseconds 500
[QuickJitListener]::Recording = `$true
Export-EventStore '$source' | Import-EventStore '$folder/copy.db' | Out-Null
Export-EventStore '$folder/copy.db' -OutFile '$folder/copy.ndjson'
Import-EventStore '$folder/again.db' -InFile '$folder/copy.ndjson' | Out-Null
Start-Sleep -Seconds 2
[QuickJitListener]::Recording = `$false
'quick-jitted: ' + [QuickJitListener]::Methods.Count
[QuickJitListener]::Methods.ToArray()
"@
        $counted = @($output | Where-Object { "$_" -like 'quick-jitted: *' })
        $counted | Should -HaveCount 1 -Because ($output -join "`n")
        [int]("$($counted[0])" -replace '\D') | Should -BeGreaterThan 0 -Because 'the listener sees the quick JIT of pwsh''s own code, so it works'
        (Get-EventCount "$folder/again.db") | Should -Be 500
        $ownMethods = @($output | Where-Object { $line = "$_"; $ModuleNamespaces.Where({ $line.StartsWith("$_.") }).Count -gt 0 })
        $ownMethods | Should -BeNullOrEmpty
    }
}
