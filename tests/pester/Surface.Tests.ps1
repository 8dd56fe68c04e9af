BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CmdletNames = (Get-Command -Module EventStoreTools -CommandType Cmdlet).Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Commands = Get-Command -Module EventStoreTools -CommandType Cmdlet
    $script:CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    function Get-OwnParameters($Command) { $Command.Parameters.Values | Where-Object Name -NotIn $CommonParameters }
    # The store a cmdlet works on, and the other store of a cmdlet with two, are named by the same parameters with a prefix.
    $script:StoreParameters = 'Path', 'LiteralPath', 'ConnectionString', 'Schema', 'Credential'
    $script:SecondStorePrefixes = @{ 'Sync-EventStore' = 'Destination'; 'Compare-EventStore' = 'Difference' }
    # Parameters whose values come from the store (its event types, aggregates, open import) or a fixed set (charsets).
    $script:CompletedParameters = 'EventType', 'AggregateId', 'ImportId', 'Encoding'

    # The rules of a cmdlet, as its class declares them: the metadata the conflict tests bind.
    function Get-ParameterRules($Command) {
        $cmdlet = [Activator]::CreateInstance($Command.ImplementingType)
        $property = $Command.ImplementingType.GetProperty('ParameterRules', [Reflection.BindingFlags]'NonPublic, Instance')
        if ($property) { @($property.GetValue($cmdlet)) }
    }
}

# One surface: what every cmdlet's metadata must agree on, walked from the metadata so a new cmdlet or parameter
# cannot miss it.
Describe 'The module''s surface' {
    It '<Name> names its store with -Path, -LiteralPath, -ConnectionString, -Schema and -Credential' -ForEach @(
        $CmdletNames | Where-Object { $_ -ne 'Send-EventStoreEvent' } | ForEach-Object { @{ Name = $_ } }
    ) {
        $command = Get-Command $Name
        foreach ($parameter in $StoreParameters) { $command.Parameters.Keys | Should -Contain $parameter -Because "$Name names a store" }
        if ($SecondStorePrefixes[$Name]) {
            foreach ($parameter in $StoreParameters) { $command.Parameters.Keys | Should -Contain ($SecondStorePrefixes[$Name] + $parameter) }
        }
        $command.Parameters['Credential'].ParameterType | Should -Be ([pscredential])
    }

    It 'no cmdlet names a store or a side with another prefix than Destination or Difference' {
        foreach ($command in $Commands) {
            $prefixes = (Get-OwnParameters $command).Name | Where-Object { $_ -match '^(.+)(ConnectionString|Schema)$' } | ForEach-Object { $Matches[1] } | Select-Object -Unique
            foreach ($prefix in $prefixes) { $prefix | Should -BeIn 'Destination', 'Difference' -Because "$($command.Name) -$prefix*" }
        }
    }

    It 'every *Path parameter has its *LiteralPath twin, and only store paths take wildcards' {
        foreach ($command in $Commands) {
            foreach ($parameter in (Get-OwnParameters $command) | Where-Object Name -Like '*Path' | Where-Object Name -NotLike '*LiteralPath') {
                $twin = $command.Parameters[($parameter.Name -replace 'Path$', 'LiteralPath')]
                $twin | Should -Not -BeNullOrEmpty -Because "$($command.Name) -$($parameter.Name) needs a literal twin"
                $twin.ParameterType | Should -Be $parameter.ParameterType
                $parameter.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) | Should -Not -BeNullOrEmpty
                $twin.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) | Should -BeNullOrEmpty
            }
            foreach ($parameter in Get-OwnParameters $command) {
                $wildcards = $parameter.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                if ($wildcards) { $parameter.Name | Should -BeIn 'Path', 'DestinationPath', 'DifferencePath', 'EventType', 'AggregateId' -Because "$($command.Name) -$($parameter.Name) takes wildcards" }
            }
        }
    }

    It 'every two parameters of a cmdlet bind together (a combination that makes no sense is the module''s own error), but for -Path and its literal twin' {
        foreach ($command in $Commands) {
            $parameters = @(Get-OwnParameters $command)
            foreach ($a in $parameters) {
                foreach ($b in $parameters) {
                    if ($a.Name -ge $b.Name -or ($a.Name, $b.Name -join ',') -eq 'LiteralPath,Path') { continue }
                    $shared = $a.ParameterSets.Keys | Where-Object { $b.ParameterSets.ContainsKey($_) -or $_ -eq '__AllParameterSets' -or $b.ParameterSets.ContainsKey('__AllParameterSets') }
                    $shared | Should -Not -BeNullOrEmpty -Because "$($command.Name) -$($a.Name) and -$($b.Name) share no parameter set"
                }
            }
        }
    }

    It 'a store object of Get-EventStore binds to -LiteralPath (by PSPath), so a name with wildcard characters stays that name' {
        $folder = New-CaseFolder
        $store = Join-Path $folder 'a [1].db'
        New-EventStore -LiteralPath $store -SampleEventCount 12 | Out-Null
        # What 'a [1].db' matches as a wildcard pattern: a store of another size.
        New-EventStore -LiteralPath (Join-Path $folder 'a 1.db') -SampleEventCount 5 | Out-Null
        @(Get-EventStore -LiteralPath $store | Export-EventStore).Count | Should -Be 12
        (Get-EventStore -LiteralPath $store | Test-EventStore).IsValid | Should -BeTrue
        (Get-EventStore -LiteralPath $store | Get-EventStore).EventCount | Should -Be 12
        $session = Get-EventStore -LiteralPath $store | Start-IncrementalImport
        (Get-EventStore -LiteralPath $store).IncrementalImportId | Should -Not -BeNullOrEmpty
        Undo-IncrementalImport -LiteralPath $store | Out-Null
        Get-EventStore -LiteralPath $store | Sync-EventStore -DestinationLiteralPath (Join-Path $folder 'm [2].db') | Out-Null
        (Get-EventStore -LiteralPath $store | Compare-EventStore -DifferenceLiteralPath (Join-Path $folder 'm [2].db') -Summary).Identical | Should -BeTrue
        (Get-EventStore -LiteralPath (Join-Path $folder 'a 1.db')).EventCount | Should -Be 5
    }

    It 'every rule <Name> declares refuses its combination with <Name>ConflictingParameters naming the parameters, before anything is written' -ForEach @(
        $CmdletNames | ForEach-Object { @{ Name = $_ } }
    ) {
        $command = Get-Command $Name
        $rules = @(Get-ParameterRules $command)
        if ($Name -in 'Export-EventStore', 'Import-EventStore', 'Sync-EventStore', 'Send-EventStoreEvent') { $rules.Count | Should -BeGreaterThan 0 }
        $folder = New-CaseFolder
        $store = Join-Path $folder 'a.db'
        New-EventStore -LiteralPath $store -SampleEventCount 3 | Out-Null
        foreach ($rule in $rules) {
            $names = @($rule.Parameters)
            # A rule that needs another parameter is broken by its first alone; the others by their first two.
            $given = if ($rule.GetType().Name -eq 'Requires') { , $names[0] } else { $names[0..1] }
            $arguments = @{}
            if ($command.Parameters.ContainsKey('Uri')) { $arguments.Uri = 'http://127.0.0.1:9/' }
            elseif ('Path' -notin $given -and 'LiteralPath' -notin $given) { $arguments.LiteralPath = $store }
            foreach ($parameterName in $given) {
                $type = $command.Parameters[$parameterName].ParameterType
                $validValues = $command.Parameters[$parameterName].Attributes.Where({ $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues
                $arguments[$parameterName] = if ($validValues) { $validValues[-1] } elseif ($type.IsEnum) { [Enum]::GetValues($type)[0] } else {
                    switch ($type) {
                    ([switch]) { [switch]$true }
                    ([timespan]) { [timespan]'00:00:01' }
                    ([int]) { 1 }
                    ([psobject]) { [psobject]@{} }
                    ([System.Text.Encoding]) { 'utf-8' }
                    default { Join-Path $folder "given-$parameterName" }
                } }
            }
            $before = Get-FolderSnapshot $folder
            $record = Get-ErrorRecord { & $Name @arguments -Confirm:$false }
            Assert-ErrorRecord $record $Name 'ConflictingParameters' 'InvalidArgument'
            # The first rule broken is named: with the others, the first parameter given may break another rule first.
            $record.Exception.Message | Should -BeLike "*-$($given[0])*"
            Get-FolderSnapshot $folder | Should -Be $before
        }
    }

    It 'cmdlets that change a store or write files support -WhatIf and -Confirm; those that only read do not' {
        foreach ($command in $Commands) {
            $writes = $command.Verb -notin 'Get', 'Test', 'Compare'
            $command.Parameters.ContainsKey('WhatIf') | Should -Be $writes -Because $command.Name
        }
    }

    It 'argument completion is offered only for values from the store or a fixed set, never on a switch' {
        foreach ($command in $Commands) {
            foreach ($parameter in Get-OwnParameters $command) {
                $completer = $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ArgumentCompleterAttribute] })
                if ($completer) { $parameter.Name | Should -BeIn $CompletedParameters -Because "$($command.Name) -$($parameter.Name) completes" }
                if ($parameter.SwitchParameter) { $completer | Should -BeNullOrEmpty }
            }
        }
    }

    It 'every cmdlet declares what it writes, and every type it writes has a view' {
        foreach ($command in $Commands) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) needs [OutputType]"
            foreach ($type in $command.OutputType.Type) {
                Get-FormatData -TypeName $type.FullName | Should -Not -BeNullOrEmpty -Because "$($command.Name) writes $($type.FullName)"
            }
        }
    }
}
