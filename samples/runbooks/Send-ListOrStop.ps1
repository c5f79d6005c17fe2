# A runbook that stops at the first error, and is safe to run again: the journal records every row sent, so the same
# command, run again after the cause is fixed, sends only the rows not done. A stopped run names, in warnings, the rows it
# sent that its output does not show.
# pwsh -NonInteractive -File Send-ListOrStop.ps1 -List rows.csv -Journal rows.journal
param(
    [Parameter(Mandatory = $true)] [string]$List,
    [Parameter(Mandatory = $true)] [string]$Journal
)
$ErrorActionPreference = 'Stop'
Import-Module MessagingTools

Import-Csv -LiteralPath $List | Send-BaleMessage -Journal $Journal -InformationAction Continue | Out-Null
