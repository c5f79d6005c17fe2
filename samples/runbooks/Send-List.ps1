# A runbook: send every row of a CSV; every row ends as a result or an error, and the exit code says which.
# pwsh -NonInteractive -File Send-List.ps1 -List rows.csv    (key, bot id and endpoint from MESSAGINGTOOLS_BALE_*)
param(
    [Parameter(Mandatory = $true)] [string]$List,
    [string]$Outcomes = 'outcomes.csv'
)
Import-Module MessagingTools

# -IncludeInput: one object per row, sent or not, with the row's columns; the errors are collected, not thrown.
Import-Csv -LiteralPath $List |
    Send-BaleMessage -IncludeInput -ErrorVariable failed -ErrorAction SilentlyContinue -InformationAction Continue |
    Export-Csv -LiteralPath $Outcomes -NoTypeInformation

if ($failed.Count -gt 0) {
    Write-Warning "$($failed.Count) row(s) failed: see the Failed rows of $Outcomes."
    exit 1
}
exit 0
