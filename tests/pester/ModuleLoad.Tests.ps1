# How the module loads: its own load context beside other modules' versions of the same libraries, native SQLite
# for every platform pwsh runs on, and a manifest whose minimum PowerShell matches what the assemblies target.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ModuleFolder = Split-Path $ModuleManifest
    # The libraries the module ships, by file name.
    $script:Libraries = Get-ChildItem (Join-Path $ModuleFolder 'dependencies') -Filter *.dll | ForEach-Object BaseName

    # Runs a script in a fresh pwsh -NoProfile (no module imported); returns its output lines.
    function script:Invoke-BarePwsh([string] $Script) {
        $command = Get-PwshCommand
        $exe = $command[0]
        $rest = @($command | Select-Object -Skip 1)
        & $exe @rest -NoProfile -NonInteractive -Command "`$ProgressPreference='SilentlyContinue'; `$ErrorActionPreference='Stop'; $Script" 2>&1
    }
}

Describe 'The module beside other versions of its libraries' -Tag 'Postgres' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
        # Older Npgsql, Microsoft.Data.Sqlite and SQLitePCLRaw, as a PostgreSQL or SQLite module would load them.
        $packages = Join-Path $RepoRoot 'tools/packages'
        & dotnet restore (Join-Path $RepoRoot 'tools/conflicts/conflicts.csproj') --packages $packages --nologo -v quiet
        if ($LASTEXITCODE -ne 0) { throw 'Restoring tools/conflicts/conflicts.csproj failed.' }
        $script:OtherLibraries = @(
            "$packages/microsoft.extensions.logging.abstractions/8.0.0/lib/net8.0/Microsoft.Extensions.Logging.Abstractions.dll"
            "$packages/npgsql/8.0.5/lib/net8.0/Npgsql.dll"
            "$packages/sqlitepclraw.core/2.0.6/lib/netstandard2.0/SQLitePCLRaw.core.dll"
            "$packages/sqlitepclraw.provider.e_sqlite3/2.0.6/lib/netstandard2.0/SQLitePCLRaw.provider.e_sqlite3.dll"
            "$packages/microsoft.data.sqlite.core/8.0.30/lib/net8.0/Microsoft.Data.Sqlite.dll"
        )
        $script:Server = Start-TestPostgres
    }
    AfterAll { Stop-TestPostgres $Server }

    It 'runs the SQLite and PostgreSQL cmdlets after another module loaded Npgsql 8.0.5, Microsoft.Data.Sqlite 8 and SQLitePCLRaw 2.0.6' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $copy = New-TestPath 'copy.db'
        $addTypes = ($OtherLibraries | ForEach-Object { "Add-Type -Path '$_'" }) -join '; '
        $output = Invoke-BarePwsh @"
$addTypes
Import-Module '$ModuleManifest'
(Export-EventStore '$source' | Import-EventStore '$copy').ImportedCount
(Export-EventStore '$copy' | Import-EventStore -ConnectionString '$($Server.ConnectionString)' -Schema clash).ImportedCount
(Get-EventStore -ConnectionString '$($Server.ConnectionString)' -Schema clash).EventCount
(Export-EventStore -ConnectionString '$($Server.ConnectionString)' -Schema clash -AggregateId * | Measure-Object).Count
# The other module's types are still the ones its type names reach, and they still work.
[Npgsql.NpgsqlConnection].Assembly.GetName().Version.ToString(3)
[Npgsql.NpgsqlConnectionStringBuilder]::new('Host=h;Port=1').Port
[Microsoft.Data.Sqlite.SqliteConnection].Assembly.GetName().Version.Major
[SQLitePCL.raw].Assembly.GetName().Version.ToString(3)
"@
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Be @('600', '600', '600', '600', '8.0.5', '1', '8', '2.0.6')
    }

    It 'loads its libraries only into its own load context, and only the cmdlet assembly into the default one' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $output = Invoke-BarePwsh @"
Import-Module '$ModuleManifest'
`$null = Get-EventStore '$source'
`$null = Get-EventStore -ConnectionString '$($Server.ConnectionString)' -Schema clash
[System.AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object {
    '{0}|{1}' -f `$_.GetName().Name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name
}
"@
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $contexts = @{}
        foreach ($line in $output) { $name, $context = "$line" -split '\|', 2; $contexts[$name] = $context }
        $contexts['EventStoreTools'] | Should -Be 'Default'
        foreach ($library in 'EventStoreTools.Core', 'Npgsql', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core', 'SQLitePCLRaw.provider.e_sqlite3', 'Microsoft.Extensions.Logging.Abstractions') {
            $library | Should -BeIn $Libraries
            $contexts[$library] | Should -Be 'EventStoreTools' -Because "$library is the module's own"
        }
    }
}

Describe 'The module''s files' {
    It 'holds only the cmdlet assembly beside the manifest and every library under dependencies/' {
        (Get-ChildItem $ModuleFolder -Filter *.dll).Name | Should -Be 'EventStoreTools.dll'
        $Libraries | Should -Contain 'EventStoreTools.Core'
        $Libraries | Should -Contain 'Npgsql'
        $Libraries | Should -Contain 'Microsoft.Data.Sqlite'
        $Libraries | Where-Object { $_ -like 'System.Management.Automation*' } | Should -BeNullOrEmpty
    }

    # The platforms pwsh 7.6 is released for; SQLitePCLRaw provides e_sqlite3 for each of them.
    It 'ships native SQLite for <Rid>' -ForEach @(
        @{ Rid = 'win-x64'; File = 'e_sqlite3.dll' }, @{ Rid = 'win-x86'; File = 'e_sqlite3.dll' }, @{ Rid = 'win-arm64'; File = 'e_sqlite3.dll' }
        @{ Rid = 'linux-x64'; File = 'libe_sqlite3.so' }, @{ Rid = 'linux-arm'; File = 'libe_sqlite3.so' }, @{ Rid = 'linux-arm64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'linux-musl-x64'; File = 'libe_sqlite3.so' }, @{ Rid = 'linux-musl-arm64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'osx-x64'; File = 'libe_sqlite3.dylib' }, @{ Rid = 'osx-arm64'; File = 'libe_sqlite3.dylib' }
    ) {
        $path = Join-Path $ModuleFolder "dependencies/runtimes/$Rid/native/$File"
        $path | Should -Exist
        # A glibc build needs versioned glibc symbols (GLIBC_2.x), a musl build none: shipping one under the other's
        # RID would not load.
        if ($Rid -like 'linux-*') {
            $text = [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($path))
            $text.Contains('GLIBC_2') | Should -Be ($Rid -notlike 'linux-musl-*') -Because "$Rid is built for $(if ($Rid -like 'linux-musl-*') { 'musl' } else { 'glibc' })"
        }
    }
}

Describe 'The manifest' {
    BeforeAll {
        $script:Manifest = Import-PowerShellDataFile $ModuleManifest
        # The pwsh release that first runs on each .NET: an assembly built for .NET N loads only there and later.
        $script:PwshForDotNet = @{ '8.0' = [version]'7.4'; '9.0' = [version]'7.5'; '10.0' = [version]'7.6' }
        function script:Get-TargetDotNet([string] $Path) {
            $stream = [System.IO.File]::OpenRead($Path)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                foreach ($handle in $reader.CustomAttributes) {
                    $attribute = $reader.GetCustomAttribute($handle)
                    $constructor = $reader.GetMemberReference([System.Reflection.Metadata.MemberReferenceHandle]$attribute.Constructor)
                    $type = $reader.GetTypeReference([System.Reflection.Metadata.TypeReferenceHandle]$constructor.Parent)
                    if ($reader.GetString($type.Name) -ne 'TargetFrameworkAttribute') { continue }
                    $blob = $reader.GetBlobReader($attribute.Value)
                    [void]$blob.ReadUInt16()
                    $framework = $blob.ReadSerializedString()
                    if ($framework -match '^\.NETCoreApp,Version=v(\d+\.\d+)$') { return $Matches[1] }
                    if ($framework -like '.NETStandard,*') { return $null }
                    throw "$Path targets $framework, which no pwsh runs on."
                }
            }
            finally { if ($pe) { $pe.Dispose() }; $stream.Dispose() }
            throw "$Path has no TargetFrameworkAttribute."
        }
    }

    It 'states as PowerShellVersion the pwsh release whose .NET the module''s assemblies target' {
        $assemblies = Get-ChildItem $ModuleFolder -Filter *.dll -Recurse | Where-Object FullName -notmatch '[\\/]runtimes[\\/]'
        $targets = @($assemblies | ForEach-Object { Get-TargetDotNet $_.FullName } | Where-Object { $_ })
        $targets | Should -Contain '10.0' -Because 'the core and the cmdlet assembly target .NET 10'
        $needed = $targets | ForEach-Object { $PwshForDotNet[$_] } | Sort-Object | Select-Object -Last 1
        $needed | Should -Not -BeNullOrEmpty
        [version]$Manifest.PowerShellVersion | Should -Be $needed
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'belongs to a cmdlet assembly compiled against PowerShell Standard, not one pwsh release''s SMA' {
        $sma = (Get-Module EventStoreTools).ImplementingAssembly.GetReferencedAssemblies() | Where-Object Name -eq 'System.Management.Automation'
        # PowerShellStandard.Library's reference assembly carries version 3.0.0.0; pwsh's own SMA carries its release.
        $sma.Version | Should -Be ([version]'3.0.0.0')
    }
}
