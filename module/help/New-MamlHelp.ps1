<#
.SYNOPSIS
Builds the module's MAML help file from the help sources in this folder (one <Cmdlet>.help.psd1 per cmdlet)
and the parameter metadata of the built module, so Get-Help shows syntax, parameters and examples.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'

function Esc([string] $text) { [System.Security.SecurityElement]::Escape($text) }

function Para([string] $text) {
    ($text -split "(\r?\n){2,}" | Where-Object { $_.Trim() } | ForEach-Object { "<maml:para>$(Esc $_.Trim())</maml:para>" }) -join "`n"
}

$module = Import-Module $ModulePath -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh" xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')

foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $sourceFile = Join-Path $PSScriptRoot "$($command.Name).help.psd1"
    if (-not (Test-Path $sourceFile)) { throw "No help source for $($command.Name): $sourceFile" }
    $help = Import-PowerShellDataFile $sourceFile
    $verb, $noun = $command.Name -split '-', 2
    [void]$sb.AppendLine('<command:command>')
    [void]$sb.AppendLine("<command:details><command:name>$($command.Name)</command:name><maml:description>$(Para $help.Synopsis)</maml:description><command:verb>$verb</command:verb><command:noun>$noun</command:noun></command:details>")
    [void]$sb.AppendLine("<maml:description>$(Para $help.Description)</maml:description>")

    [void]$sb.AppendLine('<command:syntax>')
    foreach ($set in $command.ParameterSets) {
        [void]$sb.AppendLine("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
            $pos = if ($p.Position -ge 0) { $p.Position } else { 'named' }
            [void]$sb.AppendLine("<command:parameter required=`"$($p.IsMandatory.ToString().ToLower())`" position=`"$pos`" pipelineInput=`"$($p.ValueFromPipeline -or $p.ValueFromPipelineByPropertyName)`"><maml:name>$($p.Name)</maml:name><command:parameterValue required=`"true`">$(Esc $p.ParameterType.Name)</command:parameterValue></command:parameter>")
        }
        [void]$sb.AppendLine('</command:syntaxItem>')
    }
    [void]$sb.AppendLine('</command:syntax>')

    [void]$sb.AppendLine('<command:parameters>')
    foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
        $p = $command.Parameters[$name]
        $text = $help.Parameters[$name]
        if (-not $text) { throw "Help for $($command.Name) does not describe the parameter -$name." }
        $attributes = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $mandatory = [bool]($attributes | Where-Object Mandatory)
        $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position)
        $pos = if ($positions) { $positions[0] } else { 'named' }
        $pipeline = @(
            if ($attributes | Where-Object ValueFromPipeline) { 'ByValue' }
            if ($attributes | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }
        )
        $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
        [void]$sb.AppendLine("<command:parameter required=`"$($mandatory.ToString().ToLower())`" globbing=`"false`" pipelineInput=`"$pipelineText`" position=`"$pos`" aliases=`"$(($p.Aliases -join ', '))`"><maml:name>$name</maml:name><maml:description>$(Para $text)</maml:description><command:parameterValue required=`"true`">$(Esc $p.ParameterType.Name)</command:parameterValue><dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type></command:parameter>")
    }
    [void]$sb.AppendLine('</command:parameters>')

    [void]$sb.AppendLine('<command:inputTypes>')
    foreach ($input in @($help.Inputs)) { [void]$sb.AppendLine("<command:inputType><dev:type><maml:name>$(Esc $input)</maml:name></dev:type></command:inputType>") }
    [void]$sb.AppendLine('</command:inputTypes><command:returnValues>')
    foreach ($output in @($help.Outputs)) { [void]$sb.AppendLine("<command:returnValue><dev:type><maml:name>$(Esc $output)</maml:name></dev:type></command:returnValue>") }
    [void]$sb.AppendLine('</command:returnValues>')
    if ($help.Notes) { [void]$sb.AppendLine("<maml:alertSet><maml:alert>$(Para $help.Notes)</maml:alert></maml:alertSet>") }

    if (@($help.Examples).Count -lt 2) { throw "Help for $($command.Name) needs at least two examples." }
    [void]$sb.AppendLine('<command:examples>')
    $i = 0
    foreach ($example in $help.Examples) {
        $i++
        [void]$sb.AppendLine("<command:example><maml:title>--------- Example $i ---------</maml:title><dev:code>$(Esc $example.Code)</dev:code><dev:remarks>$(Para $example.Remarks)</dev:remarks></command:example>")
    }
    [void]$sb.AppendLine('</command:examples>')
    [void]$sb.AppendLine('<command:relatedLinks>')
    foreach ($link in @($help.Links)) { [void]$sb.AppendLine("<maml:navigationLink><maml:linkText>$(Esc $link)</maml:linkText></maml:navigationLink>") }
    [void]$sb.AppendLine('</command:relatedLinks>')
    [void]$sb.AppendLine('</command:command>')
}
[void]$sb.AppendLine('</helpItems>')
New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
[System.IO.File]::WriteAllText($OutFile, $sb.ToString())
Remove-Module $module.Name -Force
