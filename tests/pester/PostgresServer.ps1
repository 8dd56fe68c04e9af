# Dot-sourced by the Pester files that need PostgreSQL: starts a throwaway server (Debian's postgresql
# package) on a free 127.0.0.1 port in a temporary folder, and stops it. No mock: if it cannot start, the
# tests fail.

. (Join-Path $PSScriptRoot 'ModuleLibraries.ps1')

function Get-PostgresBin {
    $bin = Get-ChildItem /usr/lib/postgresql/*/bin/pg_ctl -ErrorAction Ignore |
        Sort-Object { [int]$_.Directory.Parent.Name } | Select-Object -Last 1
    if (-not $bin) { throw 'PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql' }
    $bin.DirectoryName
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# initdb refuses to run as root (CI runs as root): then the server runs as the package's postgres user.
function Invoke-AsServerUser([string] $Program, [string[]] $Arguments) {
    $output = if ((id -u) -eq '0') { & runuser -u postgres -- $Program @Arguments 2>&1 } else { & $Program @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "$Program failed (exit code $LASTEXITCODE): $($output -join "`n")" }
}

# -Durable keeps PostgreSQL's default fsync and synchronous_commit (for the benchmark, to compare fairly
# with SQLite's synchronous=EXTRA); tests turn them off, as their data is thrown away.
function Start-TestPostgres([switch] $Durable) {
    $bin = Get-PostgresBin
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) "est-pg-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $directory | Out-Null
    if ((id -u) -eq '0') { chown postgres $directory }
    $data = Join-Path $directory 'data'
    $port = Get-FreeTcpPort
    Invoke-AsServerUser "$bin/initdb" @('-D', $data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync')
    # The socket lives in the folder, not in /var/run.
    $options = "-c listen_addresses=127.0.0.1 -p $port -k $directory"
    if (-not $Durable) { $options += ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' }
    Invoke-AsServerUser "$bin/pg_ctl" @('-D', $data, '-l', (Join-Path $directory 'server.log'), '-o', $options, '-w', '-t', '60', 'start')
    [pscustomobject]@{
        Bin              = $bin
        Directory        = $directory
        Port             = $port
        ConnectionString = "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    }
}

function Stop-TestPostgres($Server) {
    if (-not $Server) { return }
    # Pooled connections would hold the server open; Npgsql is loaded only once a cmdlet used PostgreSQL.
    (Get-ModuleLibraryType 'Npgsql' 'Npgsql.NpgsqlConnection')::ClearAllPools()
    Invoke-AsServerUser "$($Server.Bin)/pg_ctl" @('-D', (Join-Path $Server.Directory 'data'), '-m', 'fast', '-w', 'stop')
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
