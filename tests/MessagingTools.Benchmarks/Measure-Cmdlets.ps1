#!/usr/bin/env pwsh
#Requires -Version 7.2
<#
.SYNOPSIS
Rows/s and bytes allocated per row of each sending cmdlet, in real PowerShell against the sandbox, printed beside the
figures that RESULTS.md recorded for the previous commit.

.DESCRIPTION
Each measurement runs in a new PowerShell process (from $PSHOME) that imports the built module, sends a warm-up of
200 rows, then streams -Rows generated rows (made one by one, never held in an array) through the cmdlet at
-ThrottleLimit, counting what comes out. Rows/s is rows over the wall time of that pipeline; bytes per row is
[GC]::GetTotalAllocatedBytes($true) over the same span, divided by the rows, and CPU us/row the process's processor time
over that span (user and system, all threads), divided by the rows: on a busy machine it moves far less than rows/s.
Both include what PowerShell itself
allocates to make, bind and count a row: the harness alone is measured as the first line, "(harness)"). The sandbox
runs in a process of its own, so its allocations are not counted.

With -Baseline (the MessagingTools.psd1 of another build, e.g. a worktree of the previous commit), every measurement is
made for both builds, alternating, in one run: the only fair comparison on a shared machine. Without it, the current
build's figures are printed beside the ones recorded in RESULTS.md (the table between the markers
'<!-- cmdlets:begin -->' and '<!-- cmdlets:end -->'), with the ratio; a figure more than 10 % worse is marked "WORSE".
-Record writes this run's figures into that table (with the commit they were measured at).

Rows/s depends on the machine and its load; bytes per row barely does. Both are figures to read, not a test: the
deterministic budgets are tests/Budgets.Tests.ps1's.

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Build; dotnet build tests/MessagingTools.Sandbox -c Release
dotnet pwsh tests/MessagingTools.Benchmarks/Measure-Cmdlets.ps1 -Rows 20000

.EXAMPLE
git worktree add ../previous HEAD~1; (cd ../previous; dotnet pwsh ./build.ps1 -Task Build)
dotnet pwsh tests/MessagingTools.Benchmarks/Measure-Cmdlets.ps1 -Baseline ../previous/output/MessagingTools/0.1.0/MessagingTools.psd1 -Repeat 3
#>
[CmdletBinding()]
param(
    [ValidateRange(100, 10000000)]
    [int]$Rows = 20000,

    [ValidateRange(1, 64)]
    [int]$ThrottleLimit = 16,

    [ValidateRange(0, 10000)]
    [int]$LatencyMs = 0,

    [ValidateSet('Send-BaleMessage', 'Publish-BaleFile', 'Send-FlashCall', 'Send-FeedbotMessage', 'Invoke-ZadarmaCallback', 'Send-ZadarmaSms')]
    [string[]]$Cmdlet = @('Send-BaleMessage', 'Publish-BaleFile', 'Send-FlashCall', 'Send-FeedbotMessage', 'Invoke-ZadarmaCallback', 'Send-ZadarmaSms'),

    # The MessagingTools.psd1 of the build to measure; default: this repository's output/.
    [string]$Module,

    # The MessagingTools.psd1 of another build to measure alternately in the same run.
    [string]$Baseline,

    [ValidateRange(1, 20)]
    [int]$Repeat = 1,

    # Write this run's figures into RESULTS.md.
    [switch]$Record
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
$results = Join-Path $PSScriptRoot 'RESULTS.md'
Import-Module (Join-Path $repo 'tests/Sandbox.psm1') -Force
if (-not $Module) { $Module = Get-BuiltModulePath }
$Module = (Resolve-Path $Module).Path
if ($Baseline) { $Baseline = (Resolve-Path $Baseline).Path }

# What one measuring process runs: $args[0] is a JSON file of its settings. It prints one line of JSON.
$child = @'
$ErrorActionPreference = 'Stop'
$s = Get-Content -Raw -LiteralPath $args[0] | ConvertFrom-Json
if ($s.Module) { Import-Module $s.Module -Force }
$key = ConvertTo-SecureString $s.Key -AsPlainText -Force
$common = @{ ThrottleLimit = $s.ThrottleLimit; ErrorAction = 'SilentlyContinue'; ErrorVariable = '+failed' }
$send = switch ($s.Cmdlet) {
    'Send-BaleMessage' { { param($n) 1..$n | ForEach-Object { [pscustomobject]@{ PhoneNumber = '98912{0:D7}' -f $_; Text = "Hello $_" } } |
        Send-BaleMessage -BotId 1 -ApiKey $key -Endpoint $s.Endpoint @common } }
    'Publish-BaleFile' { { param($n) 1..$n | ForEach-Object { $s.File } | Publish-BaleFile -ApiKey $key -Endpoint $s.Endpoint @common } }
    'Send-FlashCall' { { param($n) 1..$n | ForEach-Object { [pscustomobject]@{ Destination = '98912{0:D7}' -f $_ } } |
        Send-FlashCall -Token $key -Endpoint $s.Endpoint @common } }
    'Send-FeedbotMessage' { { param($n) 1..$n | ForEach-Object { [pscustomobject]@{ Phone = '98912{0:D7}' -f $_; Message = "Hello $_" } } |
        Send-FeedbotMessage -Token $key -Endpoint $s.Endpoint @common } }
    'Invoke-ZadarmaCallback' { { param($n) $c = [pscredential]::new($s.User, $key)
        1..$n | ForEach-Object { [pscustomobject]@{ From = '100'; To = '98912{0:D7}' -f $_ } } | Invoke-ZadarmaCallback -Credential $c -Endpoint $s.Endpoint @common } }
    'Send-ZadarmaSms' { { param($n) $c = [pscredential]::new($s.User, $key)
        1..$n | ForEach-Object { [pscustomobject]@{ Number = '98912{0:D7}' -f $_; Message = "Hello $_" } } | Send-ZadarmaSms -Credential $c -Endpoint $s.Endpoint @common } }
}
$failed = @()
if ($send) { $null = & $send 200 }
$failed = @()
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$before = [GC]::GetTotalAllocatedBytes($true)
$me = [Diagnostics.Process]::GetCurrentProcess()
$cpu = $me.TotalProcessorTime
$clock = [Diagnostics.Stopwatch]::StartNew()
$out = 0
if ($s.Cmdlet -eq '(harness)') {
    1..$s.Rows | ForEach-Object { [pscustomobject]@{ PhoneNumber = '98912{0:D7}' -f $_; Text = "Hello $_" } } | ForEach-Object { $out++ }
} else {
    & $send $s.Rows | ForEach-Object { $out++ }
}
$clock.Stop()
$allocated = [GC]::GetTotalAllocatedBytes($true) - $before
$me.Refresh()
$cpuMicroseconds = ($me.TotalProcessorTime - $cpu).TotalMilliseconds * 1000
[pscustomobject]@{ Results = $out; Errors = $failed.Count; Seconds = $clock.Elapsed.TotalSeconds; BytesPerRow = $allocated / $s.Rows
    CpuPerRow = $cpuMicroseconds / $s.Rows } | ConvertTo-Json -Compress
'@

function Measure-One {
    param([string]$Name, [string]$ModulePath, $Sandbox, [string]$File)
    $endpoint, $key, $user = switch ($Name) {
        'Send-BaleMessage' { $Sandbox.BaleEndpoint, $Sandbox.BaleApiKey, $null }
        'Publish-BaleFile' { $Sandbox.BaleEndpoint, $Sandbox.BaleApiKey, $null }
        'Send-FlashCall' { $Sandbox.FlashCallEndpoint, $Sandbox.FlashCallToken, $null }
        'Send-FeedbotMessage' { $Sandbox.FeedbotEndpoint, $Sandbox.FeedbotToken, $null }
        default { $Sandbox.ZadarmaEndpoint, $Sandbox.ZadarmaApiSecret, $Sandbox.ZadarmaApiKey }
    }
    $settings = [ordered]@{
        Cmdlet = $Name; Module = $ModulePath; Rows = $Rows; ThrottleLimit = $ThrottleLimit
        Endpoint = $endpoint; Key = $key; User = $user; File = $File
    }
    Reset-TestSandbox $Sandbox
    if ($LatencyMs -gt 0) { Set-SandboxLatency $Sandbox -Milliseconds $LatencyMs }
    # Zadarma's own limit (100 a minute) would make this a measure of the limit, not of the module.
    Invoke-SandboxControl $Sandbox zadarma/ratelimit -Body @{ limit = 100000000; statisticsLimit = 3; windowSeconds = 60 } | Out-Null
    $m = Invoke-MeasuringPowerShell $child -Settings $settings -What "$Name ($ModulePath)"
    [pscustomobject]@{
        Cmdlet = $Name; Build = $ModulePath; Results = $m.Results; Errors = $m.Errors
        RowsPerSecond = $Rows / $m.Seconds; BytesPerRow = $m.BytesPerRow; CpuPerRow = $m.CpuPerRow
    }
}

function Read-Recorded {
    $recorded = @{}
    if (-not (Test-Path -LiteralPath $results)) { return $recorded }
    $inside = $false
    foreach ($line in Get-Content -LiteralPath $results) {
        if ($line -match '<!-- cmdlets:begin -->') { $inside = $true; continue }
        if ($line -match '<!-- cmdlets:end -->') { break }
        if ($inside -and $line -match '^\|\s*(\S+-\S+|\(harness\))\s*\|\s*([\d,.]+)\s*\|\s*([\d,.]+)\s*\|\s*([\d,.]+)\s*\|') {
            $recorded[$Matches[1]] = [pscustomobject]@{
                RowsPerSecond = [double]($Matches[2] -replace ',', ''); BytesPerRow = [double]($Matches[3] -replace ',', '')
                CpuPerRow = [double]($Matches[4] -replace ',', '')
            }
        }
    }
    return $recorded
}

$sandbox = Start-TestSandbox
$file = Join-Path ([IO.Path]::GetTempPath()) ('messagingtools-bench-{0}.txt' -f $PID)
Set-Content -LiteralPath $file -Value ('x' * 1024)
$all = [System.Collections.Generic.List[object]]::new()
try {
    $builds = @($Module) + @($Baseline | Where-Object { $_ })
    foreach ($round in 1..$Repeat) {
        foreach ($name in @('(harness)') + $Cmdlet) {
            foreach ($build in $builds) {
                $m = Measure-One -Name $name -ModulePath $(if ($name -eq '(harness)') { '' } else { $build }) -Sandbox $sandbox -File $file
                $m.Build = $build
                $all.Add($m)
                Write-Host ('  {0,-24} {1,-10} {2,10:N0} rows/s {3,10:N0} bytes/row {4,8:N0} CPU us/row  ({5} results, {6} errors)' -f $name,
                    $(if ($build -eq $Module) { 'this' } else { 'baseline' }), $m.RowsPerSecond, $m.BytesPerRow, $m.CpuPerRow, $m.Results, $m.Errors)
                if ($name -eq '(harness)') { break }
            }
        }
    }
}
finally {
    Stop-TestSandbox -Sandbox $sandbox
    Remove-Item -LiteralPath $file -ErrorAction Ignore
}

$commit = (& git -C $repo rev-parse --short HEAD 2>$null)
$recorded = Read-Recorded
Write-Host ''
Write-Host ("{0:N0} rows per cmdlet, ThrottleLimit {1}, sandbox latency {2} ms, {3} round(s), {4} CPU(s), PowerShell {5}; medians" -f
    $Rows, $ThrottleLimit, $LatencyMs, $Repeat, [Environment]::ProcessorCount, $PSVersionTable.PSVersion)
$median = { param($values) $v = @($values | Sort-Object); if ($v.Count -eq 0) { return $null }; $v[[int][Math]::Floor(($v.Count - 1) / 2)] }
$table = foreach ($name in @('(harness)') + $Cmdlet) {
    $mine = @($all | Where-Object { $_.Cmdlet -eq $name -and ($name -eq '(harness)' -or $_.Build -eq $Module) })
    $rate = & $median ($mine.RowsPerSecond)
    $bytes = & $median ($mine.BytesPerRow)
    $cpuRow = & $median ($mine.CpuPerRow)
    $against = if ($Baseline -and $name -ne '(harness)') {
        $theirs = @($all | Where-Object { $_.Cmdlet -eq $name -and $_.Build -eq $Baseline })
        [pscustomobject]@{ RowsPerSecond = & $median ($theirs.RowsPerSecond); BytesPerRow = & $median ($theirs.BytesPerRow)
            CpuPerRow = & $median ($theirs.CpuPerRow); What = 'baseline' }
    }
    elseif ($recorded.ContainsKey($name)) { $recorded[$name] | Add-Member -PassThru -NotePropertyName What -NotePropertyValue 'RESULTS.md' -Force }
    $verdict = ''
    if ($against -and $name -ne '(harness)') {
        $theirCpu = if ($against.PSObject.Properties['CpuPerRow']) { $against.CpuPerRow } else { $null }
        if ($rate -lt 0.9 * $against.RowsPerSecond -or $bytes -gt 1.1 * $against.BytesPerRow -or ($theirCpu -and $cpuRow -gt 1.1 * $theirCpu)) {
            $verdict = 'WORSE (>10 %): say why in CHANGELOG'
        }
    }
    [pscustomobject]@{
        Cmdlet = $name
        'rows/s' = '{0:N0}' -f $rate
        'bytes/row' = '{0:N0}' -f $bytes
        'CPU us/row' = '{0:N0}' -f $cpuRow
        'against' = $(if ($against) { $against.What } else { '' })
        'their rows/s' = $(if ($against) { '{0:N0}' -f $against.RowsPerSecond } else { '' })
        'their bytes/row' = $(if ($against) { '{0:N0}' -f $against.BytesPerRow } else { '' })
        'their CPU us/row' = $(if ($against -and $against.PSObject.Properties['CpuPerRow'] -and $against.CpuPerRow) { '{0:N0}' -f $against.CpuPerRow } else { '' })
        'rows/s ratio' = $(if ($against) { '{0:0.00}' -f ($rate / $against.RowsPerSecond) } else { '' })
        'bytes ratio' = $(if ($against) { '{0:0.00}' -f ($bytes / $against.BytesPerRow) } else { '' })
        verdict = $verdict
        RowsPerSecond = $rate
        BytesPerRow = $bytes
        CpuPerRow = $cpuRow
    }
}
$table | Format-Table -Property Cmdlet, 'rows/s', 'bytes/row', 'CPU us/row', against, 'their rows/s', 'their bytes/row', 'their CPU us/row', 'rows/s ratio', 'bytes ratio', verdict -AutoSize |
    Out-String -Width 240 | Write-Host

if ($Record) {
    $lines = @('<!-- cmdlets:begin -->',
        "Measured at $commit, $(Get-Date -Format 'yyyy-MM-dd'): $('{0:N0}' -f $Rows) rows per cmdlet, ThrottleLimit $ThrottleLimit, latency $LatencyMs ms, median of $Repeat.",
        '',
        '| cmdlet | rows/s | bytes/row | CPU us/row |',
        '| --- | --- | --- | --- |')
    $lines += foreach ($row in $table) { '| {0} | {1:0} | {2:0} | {3:0} |' -f $row.Cmdlet, $row.RowsPerSecond, $row.BytesPerRow, $row.CpuPerRow }
    $lines += '<!-- cmdlets:end -->'
    $text = if (Test-Path -LiteralPath $results) { Get-Content -Raw -LiteralPath $results } else { "# Benchmark results`n" }
    $block = $lines -join "`n"
    if ($text -match '(?s)<!-- cmdlets:begin -->.*<!-- cmdlets:end -->') {
        $text = [regex]::Replace($text, '(?s)<!-- cmdlets:begin -->.*<!-- cmdlets:end -->', { param($m) $block })
    }
    else { $text = $text.TrimEnd() + "`n`n## Each sending cmdlet in PowerShell (Measure-Cmdlets.ps1)`n`n$block`n" }
    Set-Content -LiteralPath $results -Value $text -NoNewline
    Write-Host "Recorded in $results"
}
