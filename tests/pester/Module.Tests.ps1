BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'The built module' {
    It 'loads in a fresh pwsh -NoProfile and copies a store (native SQLite found)' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'fresh.db'
        $output = Invoke-FreshPwsh "(Export-EventStore '$source' | Import-EventStore '$target').ImportedCount"
        $LASTEXITCODE | Should -Be 0
        "$output".Trim() | Should -Be '600'
    }

    It 'exports exactly its cmdlets, each with an OutputType' {
        $commands = Get-Command -Module EventStoreTools
        $commands.Name | Should -Contain 'Export-EventStore'
        $commands.Name | Should -Contain 'Import-EventStore'
        $commands.Name | Should -Contain 'Get-EventStore'
        $commands.Name | Should -Contain 'Compare-EventStore'
        foreach ($command in $commands) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) declares what it writes"
            (Get-Verb -Verb $command.Verb) | Should -Not -BeNullOrEmpty -Because "$($command.Verb) is an approved verb"
        }
    }

    It 'has help with at least two examples for every cmdlet' {
        foreach ($command in Get-Command -Module EventStoreTools) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -Match '^\s*\S+-\S+\s*\[' -Because "$($command.Name) has a written synopsis"
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
            foreach ($parameter in $help.Parameters.Parameter) {
                ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $($command.Name) is described"
            }
        }
    }

    It 'formats events as a table' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $text = Export-EventStore $store | Select-Object -First 2 | Format-Table | Out-String -Width 200
        $text | Should -Match 'AggregateId'
        $text | Should -Match 'AGGREGATE_CREATED'
    }

    It 'runs the examples of Get-Help' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'app.db'
        Push-Location $TestDrive
        try {
            Export-EventStore ./app.db | Import-EventStore ./copy.db | Out-Null
            Export-EventStore ./app.db -OutFile ./events.db
            Import-EventStore ./restored.db -InFile ./events.db | Out-Null
            (Export-EventStore ./restored.db | Measure-Object).Count | Should -Be 600
        }
        finally { Pop-Location }
    }
}
