# -Credential on a server that asks every login for a password (scram-sha-256), started by this file: the login
# works with a PSCredential, a refused login is an authentication error, a server that is not there a connection
# error, and the password appears in no message, verbose line or error target.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres -SuperuserPassword "super-$([guid]::NewGuid().ToString('N'))"
    $script:AppPassword = "app-pw-$([guid]::NewGuid().ToString('N'))"
    $script:WrongPassword = "wrong-pw-$([guid]::NewGuid().ToString('N'))"
    # Npgsql as the module loads it (npm's PostgreSQL ships no psql).
    Get-EventStore (Copy-Fixture 'resolve-lite-600.db' 'load.db') | Out-Null
    Invoke-DbQuery ((Get-ModuleLibraryType 'Npgsql' 'Npgsql.NpgsqlConnection')::new($Server.ConnectionString)) "CREATE ROLE app LOGIN PASSWORD '$AppPassword'; GRANT CREATE ON DATABASE postgres TO app"
    # No user and no password: they come from -Credential.
    $script:Pg = "Host=127.0.0.1;Port=$($Server.Port);Database=postgres"
    function New-Credential([string] $User, [string] $Password) {
        [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
    }
    # Every text a failure or a verbose line shows: messages of the whole exception chain, the target, the record.
    function Get-ShownText($Record) {
        $exception = $Record.Exception
        while ($exception) { $exception.Message; $exception = $exception.InnerException }
        "$($Record.TargetObject)"
        "$Record"
        $Record.ErrorDetails.Message
    }
}

AfterAll { Stop-TestPostgres $Server }

Describe 'PostgreSQL -Credential' -Tag Postgres {
    It 'logs in with a PSCredential and tells no password in -Verbose' {
        $credential = New-Credential 'app' $AppPassword
        $verbose = Import-EventStore -ConnectionString $Pg -Schema app -Credential $credential -InFile (Join-Path $Fixtures 'resolve-lite-600.export.ndjson') -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Connected to the PostgreSQL store 127\.0\.0\.1'
        ($verbose | Out-String) | Should -Not -Match $AppPassword
        (Get-EventStore -ConnectionString $Pg -Schema app -Credential $credential).EventCount | Should -Be 600
        @(Export-EventStore -ConnectionString $Pg -Schema app -Credential $credential -First 5).Count | Should -Be 5
        # The credential's user and password replace those of the connection string.
        (Get-EventStore -ConnectionString "$Pg;Username=nobody;Password=nothing" -Schema app -Credential $credential).EventCount | Should -Be 600
    }

    It 'a wrong or missing password is AuthenticationFailed (AuthenticationError), never naming the password' {
        $record = Get-ErrorRecord { Get-EventStore -ConnectionString $Pg -Schema app -Credential (New-Credential 'app' $WrongPassword) -Verbose -ErrorAction Stop 4>$null }
        Assert-ErrorRecord $record 'Get-EventStore' 'AuthenticationFailed' 'AuthenticationError'
        Get-ShownText $record | Should -Not -Match $WrongPassword
        Get-ShownText $record | Should -Not -Match $AppPassword
        $record = Get-ErrorRecord { Export-EventStore -ConnectionString "$Pg;Username=app;Password=$WrongPassword" -Schema app }
        Assert-ErrorRecord $record 'Export-EventStore' 'AuthenticationFailed' 'AuthenticationError'
        Get-ShownText $record | Should -Not -Match $WrongPassword
        $record = Get-ErrorRecord { Export-EventStore -ConnectionString "$Pg;Username=app" -Schema app }
        Assert-ErrorRecord $record 'Export-EventStore' 'AuthenticationFailed' 'AuthenticationError'
    }

    It 'a server that refuses the connection is ConnectionFailed (ConnectionError), not ObjectNotFound' {
        $closedPort = Get-FreeTcpPort
        $record = Get-ErrorRecord { @() | Import-EventStore -ConnectionString "Host=127.0.0.1;Port=$closedPort;Database=postgres" -Schema app -Credential (New-Credential 'app' $AppPassword) }
        Assert-ErrorRecord $record 'Import-EventStore' 'ConnectionFailed' 'ConnectionError'
        Get-ShownText $record | Should -Not -Match $AppPassword
    }

    It '-Credential with a SQLite path is refused' {
        $record = Get-ErrorRecord { Get-EventStore (Copy-Fixture 'resolve-lite-600.db') -Credential (New-Credential 'app' $AppPassword) }
        Assert-ErrorRecord $record 'Get-EventStore' 'StoreNotSpecified' 'InvalidArgument'
    }
}
