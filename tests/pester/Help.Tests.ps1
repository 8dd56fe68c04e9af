# Get-Help must say what Get-Command says: the MAML help is generated from the cmdlets' metadata at build time
# (module/help/New-MamlHelp.ps1), and these tests hold it to that for every parameter of every cmdlet.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Commands = @(Get-Command -Module EventStoreTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters

    function script:Get-PipelineText($Sets) {
        $ways = @(if ($Sets | Where-Object ValueFromPipeline) { 'ByValue' }; if ($Sets | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' })
        if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
    }
    function script:Get-PositionText([int[]] $Positions) {
        $given = @($Positions | Where-Object { $_ -ge 0 } | Sort-Object)
        if ($given.Count -gt 0) { "$($given[0])" } else { 'named' }
    }
}

Describe 'Help of <Name>' -ForEach $Commands {
    BeforeAll {
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
    }

    It 'describes every parameter as Get-Command sees it: type, position, mandatory, pipeline input, wildcards, aliases' {
        $names = @($Command.Parameters.Keys | Where-Object { $_ -notin $Common })
        @($Help.parameters.parameter.name | Sort-Object) | Should -Be @($names | Sort-Object)
        foreach ($parameterName in $names) {
            $metadata = $Command.Parameters[$parameterName]
            $sets = @($metadata.ParameterSets.Values)
            $help = Get-Help $Name -Parameter $parameterName
            $because = "-$parameterName of $Name"
            $help.type.name | Should -Be $metadata.ParameterType.FullName -Because $because
            $help.required | Should -Be (-not ($sets | Where-Object { -not $_.IsMandatory })).ToString().ToLower() -Because $because
            $help.position | Should -Be (Get-PositionText $sets.Position) -Because $because
            $help.pipelineInput | Should -Be (Get-PipelineText $sets) -Because $because
            $wildcards = [bool]($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $help.globbing | Should -Be $wildcards.ToString().ToLower() -Because $because
            $aliases = if ($metadata.Aliases.Count) { $metadata.Aliases -join ', ' } else { 'none' }
            $help.aliases | Should -Be $aliases -Because $because
            ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$because has prose"
        }
    }

    It 'shows each parameter set''s syntax as Get-Command does: parameters, mandatory, positions, switches without a value' {
        $items = @($Help.syntax.syntaxItem)
        $items.Count | Should -Be $Command.ParameterSets.Count
        for ($i = 0; $i -lt $items.Count; $i++) {
            $set = $Command.ParameterSets[$i]
            $expected = @($set.Parameters | Where-Object Name -notin $Common)
            @($items[$i].parameter.name | Sort-Object) | Should -Be @($expected.Name | Sort-Object) -Because "set $($set.Name) of $Name"
            foreach ($parameter in $expected) {
                $shown = $items[$i].parameter | Where-Object name -eq $parameter.Name
                $because = "-$($parameter.Name) in set $($set.Name) of $Name"
                $shown.required | Should -Be $parameter.IsMandatory.ToString().ToLower() -Because $because
                $shown.position | Should -Be (Get-PositionText $parameter.Position) -Because $because
                $shown.pipelineInput | Should -Be (Get-PipelineText $parameter) -Because $because
                if ($parameter.ParameterType -eq [switch]) { $shown.PSObject.Properties['parameterValue'] | Should -BeNullOrEmpty -Because "$because is a switch" }
                else { $shown.parameterValue | Should -Be $parameter.ParameterType.Name -Because $because }
            }
        }
        $syntax = $Help.syntax | Out-String -Width 4096
        ([regex]::Matches($syntax, '\[<CommonParameters>\]')).Count | Should -Be $Command.ParameterSets.Count
        if ($Command.Parameters.ContainsKey('WhatIf')) { $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]' }
        $syntax | Should -Not -Match '<SwitchParameter>'
    }

    It 'lists as outputs the cmdlet''s OutputType and as inputs the types of its pipeline parameters' {
        @($Help.returnValues.returnValue.type.name | Sort-Object) | Should -Be @($Command.OutputType.Name | Sort-Object)
        $pipeline = @($Command.Parameters.Values | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } })
        $expected = if ($pipeline) { @($pipeline.ParameterType.FullName | Sort-Object) } else { @('None') }
        @($Help.inputTypes.inputType.type.name | Sort-Object) | Should -Be $expected
    }

    It 'has at least three examples, the first a one-line everyday command of the cmdlet itself' {
        $examples = @((Get-Help $Name -Full).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        $first = "$($examples[0].code)".Trim()
        $first | Should -Not -Match "`n" -Because 'the first example is the everyday one'
        $first | Should -Match "^(\`$\w+ = )?$([regex]::Escape($Name))\b|\| $([regex]::Escape($Name))\b"
    }

    It 'answers -Online with PowerShell''s plain "no online help" error, not a dead address' {
        $Command.HelpUri | Should -BeNullOrEmpty
        $failure = $null
        try { Get-Help $Name -Online -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand'
        $failure.Exception.Message | Should -Match 'URI\) of the Help topic is not specified'
        @($Help.relatedLinks.navigationLink | Where-Object { $_.PSObject.Properties['uri'] -and $_.uri }) | Should -BeNullOrEmpty
    }
}

Describe 'Help beyond the metadata' {
    It 'says what the issue found wrong: -Path at position 0, wildcards on -EventType and -AggregateId, -WhatIf in the syntax' {
        (Get-Help Export-EventStore -Parameter Path).position | Should -Be '0'
        (Get-Help Export-EventStore -Parameter EventType).globbing | Should -Be 'true'
        (Get-Help Export-EventStore -Parameter AggregateId).globbing | Should -Be 'true'
        (Get-Help Export-EventStore -Parameter NoClobber).type.name | Should -Be 'System.Management.Automation.SwitchParameter'
        (Get-Help Import-EventStore).syntax | Out-String -Width 4096 | Should -Match '\[-Replace\] '
    }

    It 'has about_EventStoreTools with stores and engines, the event object, NDJSON and backups, the cursor, incremental rules and the differences from reSolve' {
        $about = Get-Help about_EventStoreTools | Out-String
        foreach ($section in 'STORES AND ENGINES', 'THE EVENT OBJECT', 'NDJSON AND BACKUPS', 'THE CURSOR', 'INCREMENTAL IMPORT', 'WHERE WE DIFFER FROM RESOLVE') {
            $about | Should -Match $section
        }
        # Each docs section it points to exists.
        $headings = Get-ChildItem (Join-Path $RepoRoot 'docs') -Filter '*.md' | Get-Content | Where-Object { $_ -match '^#+ ' } | ForEach-Object { $_ -replace '^#+ ', '' }
        $references = [regex]::Matches($about, 'docs: ((?:"[^"]+"(?:, )?)+)')
        $references.Count | Should -BeGreaterThan 5
        foreach ($reference in $references) {
            foreach ($heading in [regex]::Matches($reference.Groups[1].Value, '"([^"]+)"')) {
                $headings | Should -Contain $heading.Groups[1].Value
            }
        }
    }

    It 'is not built from a help source with <Case>' -ForEach @(
        @{ Case = 'a parameter the cmdlet lacks'; Edit = { param($text) $text -replace '(?m)^(\s*Parameters\s*=\s*@\{)', "`$1`n        Gone = 'A parameter that was removed.'" }; Message = 'describes -Gone' }
        @{ Case = 'a missing parameter'; Edit = { param($text) $text -replace "(?m)^\s*Schema\s*=.*$", '' }; Message = 'does not describe the parameter\(s\) -Schema' }
        @{ Case = 'types'; Edit = { param($text) $text -replace '(?m)^(\s*Parameters\s*=)', "    Outputs = @('System.String')`n`$1" }; Message = 'holds Outputs' }
    ) {
        # The generator reads the help sources beside itself: run a copy over edited sources, in a child pwsh
        # (it imports and removes the module).
        $folder = New-TestPath "help-$([guid]::NewGuid().ToString('N'))"
        Copy-Item (Join-Path $RepoRoot 'module/help') $folder -Recurse
        $source = Join-Path $folder 'Get-EventStore.help.psd1'
        Set-Content $source (& $Edit (Get-Content $source -Raw)) -NoNewline
        $command = Get-PwshCommand
        $rest = @($command | Select-Object -Skip 1)
        $output = & $command[0] @rest -NoProfile -NonInteractive -File (Join-Path $folder 'New-MamlHelp.ps1') -ModulePath $ModuleManifest -OutFile (Join-Path $folder 'out.xml') 2>&1
        $LASTEXITCODE | Should -Not -Be 0 -Because "a help source with $Case fails the build"
        ($output | Out-String) -replace '\s+', ' ' | Should -Match $Message
        Join-Path $folder 'out.xml' | Should -Not -Exist
    }

    It 'names about_EventStoreTools among the related links of every cmdlet' {
        foreach ($command in Get-Command -Module EventStoreTools) {
            (Get-Help $command.Name).relatedLinks.navigationLink.linkText | Should -Contain 'about_EventStoreTools'
        }
    }
}
