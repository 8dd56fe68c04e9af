<#
.SYNOPSIS
Builds the module's MAML help file from the built module's own cmdlet metadata and the prose of the help sources in
this folder (one <Cmdlet>.help.psd1 per cmdlet).

.DESCRIPTION
Everything Get-Help shows about a parameter except its description comes from the metadata Get-Command sees:
syntax per parameter set (-WhatIf and -Confirm included, switches without a value), positions, mandatory, pipeline
input, wildcard support ([SupportsWildcards]), aliases and types, and the input and output types. The help sources
hold only prose (synopsis, description, parameter descriptions, notes, examples, related command names), so help
cannot disagree with the code. A help source that describes a parameter the cmdlet lacks, misses one it has, or
states types, fails the build.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ProseKeys = 'Synopsis', 'Description', 'Parameters', 'Notes', 'Examples', 'Links'
# -WhatIf and -Confirm are written by SupportsShouldProcess, not by us: their prose is PowerShell's usual one.
$ShouldProcessProse = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Esc([string] $text) { [System.Security.SecurityElement]::Escape($text) }

function Para([string] $text) {
    ($text -split "(\r?\n){2,}" | Where-Object { $_.Trim() } | ForEach-Object { "<maml:para>$(Esc $_.Trim())</maml:para>" }) -join "`n"
}

function PositionText([int] $position) { if ($position -ge 0) { "$position" } else { 'named' } }

function PipelineText([bool] $byValue, [bool] $byPropertyName) {
    $ways = @(if ($byValue) { 'ByValue' }; if ($byPropertyName) { 'ByPropertyName' })
    if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
}

function IsSwitch([type] $type) { $type -eq [System.Management.Automation.SwitchParameter] }

# <command:parameter> of one parameter: in a syntax item (per parameter set) or in the parameter list.
function ParameterXml([string] $Name, [type] $Type, [bool] $Required, [string] $Position, [string] $Pipeline,
    [bool] $Wildcards, [string[]] $Aliases, [string] $Description, [switch] $InSyntax) {
    $aliasText = if ($Aliases) { $Aliases -join ', ' } else { 'none' }
    $open = "<command:parameter required=`"$($Required.ToString().ToLower())`" variableLength=`"$($Type.IsArray.ToString().ToLower())`" globbing=`"$($Wildcards.ToString().ToLower())`" pipelineInput=`"$Pipeline`" position=`"$Position`" aliases=`"$(Esc $aliasText)`">"
    $value = if (-not (IsSwitch $Type)) { "<command:parameterValue required=`"true`" variableLength=`"$($Type.IsArray.ToString().ToLower())`">$(Esc $Type.Name)</command:parameterValue>" }
             elseif (-not $InSyntax) { "<command:parameterValue required=`"false`" variableLength=`"false`">$(Esc $Type.Name)</command:parameterValue>" }
    $description = if (-not $InSyntax) { "<maml:description>$(Para $Description)</maml:description>" }
    "$open<maml:name>$Name</maml:name>$description$value<dev:type><maml:name>$(Esc $Type.FullName)</maml:name></dev:type></command:parameter>"
}

function HasWildcards([System.Management.Automation.ParameterMetadata] $parameter) {
    [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
}

$module = Import-Module $ModulePath -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters
$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh" xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')

foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $sourceFile = Join-Path $PSScriptRoot "$($command.Name).help.psd1"
    if (-not (Test-Path $sourceFile)) { throw "No help source for $($command.Name): $sourceFile" }
    $help = Import-PowerShellDataFile $sourceFile
    $stray = @($help.Keys | Where-Object { $_ -notin $ProseKeys })
    if ($stray) { throw "$sourceFile holds $($stray -join ', '): help sources hold only prose ($($ProseKeys -join ', ')); types, syntax and inputs come from the cmdlet's metadata." }
    $names = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
    $described = @($help.Parameters.Keys)
    $missing = @($names | Where-Object { $_ -notin $described -and -not $ShouldProcessProse.ContainsKey($_) })
    if ($missing) { throw "Help for $($command.Name) does not describe the parameter(s) -$($missing -join ', -')." }
    $unknown = @($described | Where-Object { $_ -notin $names })
    if ($unknown) { throw "Help for $($command.Name) describes -$($unknown -join ', -'), which the cmdlet does not have." }

    $verb, $noun = $command.Name -split '-', 2
    [void]$sb.AppendLine('<command:command>')
    [void]$sb.AppendLine("<command:details><command:name>$($command.Name)</command:name><maml:description>$(Para $help.Synopsis)</maml:description><command:verb>$verb</command:verb><command:noun>$noun</command:noun></command:details>")
    [void]$sb.AppendLine("<maml:description>$(Para $help.Description)</maml:description>")

    [void]$sb.AppendLine('<command:syntax>')
    foreach ($set in $command.ParameterSets) {
        [void]$sb.AppendLine("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        # As Get-Command shows it: positional parameters in order of position, then the others as declared.
        $inSet = @($set.Parameters | Where-Object Name -notin $common)
        $ordered = @($inSet | Where-Object Position -ge 0 | Sort-Object Position) + @($inSet | Where-Object Position -lt 0)
        foreach ($p in $ordered) {
            $xml = ParameterXml -InSyntax -Name $p.Name -Type $p.ParameterType -Required $p.IsMandatory -Position (PositionText $p.Position) `
                -Pipeline (PipelineText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName) -Wildcards (HasWildcards $command.Parameters[$p.Name]) -Aliases $p.Aliases
            [void]$sb.AppendLine($xml)
        }
        [void]$sb.AppendLine('</command:syntaxItem>')
    }
    [void]$sb.AppendLine('</command:syntax>')

    # One entry per parameter over all its sets: mandatory when mandatory in every set, the lowest position it has,
    # every way it takes pipeline input.
    [void]$sb.AppendLine('<command:parameters>')
    foreach ($name in $names | Sort-Object) {
        $p = $command.Parameters[$name]
        $sets = @($p.ParameterSets.Values)
        $positions = @($sets | Where-Object Position -ge 0 | ForEach-Object Position | Sort-Object)
        $position = if ($positions.Count -gt 0) { PositionText $positions[0] } else { 'named' }
        $text = if ($help.Parameters.ContainsKey($name)) { $help.Parameters[$name] } else { $ShouldProcessProse[$name] }
        $xml = ParameterXml -Name $name -Type $p.ParameterType -Required (-not ($sets | Where-Object { -not $_.IsMandatory })) -Position $position `
            -Pipeline (PipelineText ([bool]($sets | Where-Object ValueFromPipeline)) ([bool]($sets | Where-Object ValueFromPipelineByPropertyName))) `
            -Wildcards (HasWildcards $p) -Aliases $p.Aliases -Description $text
        [void]$sb.AppendLine($xml)
    }
    [void]$sb.AppendLine('</command:parameters>')

    # Inputs: the type of each parameter that takes pipeline input; outputs: the cmdlet's [OutputType]s.
    [void]$sb.AppendLine('<command:inputTypes>')
    $pipelineParameters = @($names | ForEach-Object { $command.Parameters[$_] } | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } })
    if (-not $pipelineParameters) { [void]$sb.AppendLine('<command:inputType><dev:type><maml:name>None</maml:name></dev:type><maml:description><maml:para>This cmdlet takes no pipeline input.</maml:para></maml:description></command:inputType>') }
    foreach ($p in $pipelineParameters) {
        $sets = @($p.ParameterSets.Values)
        $how = @(
            if ($sets | Where-Object ValueFromPipeline) { 'by value' }
            if ($sets | Where-Object ValueFromPipelineByPropertyName) { "by property name ($((@($p.Name) + @($p.Aliases)) -join ', '))" }
        ) -join ' or '
        [void]$sb.AppendLine("<command:inputType><dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type><maml:description><maml:para>$(Esc "-$($p.Name), $how.")</maml:para></maml:description></command:inputType>")
    }
    [void]$sb.AppendLine('</command:inputTypes><command:returnValues>')
    foreach ($output in $command.OutputType) {
        $sets = @($command.ImplementingType.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) |
            Where-Object { $_.Type.Name -contains $output.Name } | ForEach-Object ParameterSetName | Where-Object { $_ -and $_ -ne '__AllParameterSets' })
        $when = if ($sets) { "<maml:description><maml:para>$(Esc "Parameter set: $($sets -join ', ').")</maml:para></maml:description>" }
        [void]$sb.AppendLine("<command:returnValue><dev:type><maml:name>$(Esc $output.Name)</maml:name></dev:type>$when</command:returnValue>")
    }
    [void]$sb.AppendLine('</command:returnValues>')
    if ($help.ContainsKey('Notes')) { [void]$sb.AppendLine("<maml:alertSet><maml:alert>$(Para $help.Notes)</maml:alert></maml:alertSet>") }

    if (@($help.Examples).Count -lt 2) { throw "Help for $($command.Name) needs at least two examples." }
    [void]$sb.AppendLine('<command:examples>')
    $i = 0
    foreach ($example in $help.Examples) {
        $i++
        [void]$sb.AppendLine("<command:example><maml:title>--------- Example $i ---------</maml:title><dev:code>$(Esc $example.Code)</dev:code><dev:remarks>$(Para $example.Remarks)</dev:remarks></command:example>")
    }
    [void]$sb.AppendLine('</command:examples>')
    # Related commands and the about topic, by name only: the module has no online help to link to, so Get-Help -Online
    # says so plainly instead of opening a dead address.
    [void]$sb.AppendLine('<command:relatedLinks>')
    foreach ($link in @($help.Links) + 'about_EventStoreTools') { [void]$sb.AppendLine("<maml:navigationLink><maml:linkText>$(Esc $link)</maml:linkText></maml:navigationLink>") }
    [void]$sb.AppendLine('</command:relatedLinks>')
    [void]$sb.AppendLine('</command:command>')
}
[void]$sb.AppendLine('</helpItems>')
New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
[System.IO.File]::WriteAllText($OutFile, $sb.ToString())
Remove-Module $module.Name -Force
