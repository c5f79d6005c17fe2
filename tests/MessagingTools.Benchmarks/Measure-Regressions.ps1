#!/usr/bin/env pwsh
#Requires -Version 7.2
<#
.SYNOPSIS
Measures, in real PowerShell against the sandbox, the figures of issue 16's table (the five regressions and their
neighbours), for this build and, with -Baseline, another one, alternating, in one run.

.DESCRIPTION
Every measurement runs in a new PowerShell process (from $PSHOME) that imports the build being measured; the sandbox
runs in a process of its own and is reset before each one. What is measured:

  close-silently   a server that closes after each answer without saying so (sandbox front door, CloseSilently), a
                   429 on every 10th request, ThrottleLimit 8: results out of the rows, for Invoke-ZadarmaCallback,
                   Send-ZadarmaSms and Send-FlashCall (200 rows each) and Send-FeedbotMessage (500 rows)
  close-500        the same server, 200 flash calls, a 500 after every 7th request (after acting): rows the server
                   acted on, and rows reported uncertain (MayHaveTakenEffect) beside the 500s it answered
  memory           -MemoryRows rows (default 1,000,000) through Send-BaleMessage at no latency: the process's peak
                   working set less its working set before the run
  rate             Send-BaleMessage rows/s at no latency, ThrottleLimit 16 and 64 (-RateRows rows)
  feedbot          FeedBot at 50 ms latency, ThrottleLimit 8: messages/s with -BatchSize 100 (10,000 messages) and with
                   -BatchSize 1 (1,000 messages, enough for its steady rate), and their ratio
  first            500 Bale rows at 50 ms latency piped into Select-Object -First 5, ThrottleLimit 16 and 64: requests
                   the sandbox received (counted a second after the pipeline stopped)
  faults-7th       2,000 Bale rows at 50 ms latency, ThrottleLimit 16, with a 500 after every 7th delivery (retried once
                   under its request_id), against the same run without faults: the ratio of their times
  retry            20 Bale rows, ThrottleLimit 1, rows 1 and 2 answered 500 after acting on each of their four attempts
                   (so they end "may have been delivered"), then
                   $failed.TargetObject piped back into Send-BaleMessage: messages delivered twice

The figures are printed as they come and as a table at the end. Times depend on the machine and its load; run with
-Baseline so that both builds meet the same load.

.EXAMPLE
dotnet pwsh tests/MessagingTools.Benchmarks/Measure-Regressions.ps1 -Baseline ../previous/output/MessagingTools/0.1.0/MessagingTools.psd1
#>
[CmdletBinding()]
param(
    [string]$Module,
    [string]$Baseline,
    [ValidateSet('close-silently', 'close-500', 'memory', 'rate', 'feedbot', 'first', 'faults-7th', 'retry')]
    [string[]]$Scenario = @('close-silently', 'close-500', 'memory', 'rate', 'feedbot', 'first', 'faults-7th', 'retry'),
    [ValidateRange(1000, 10000000)]
    [int]$MemoryRows = 1000000,
    [ValidateRange(1000, 1000000)]
    [int]$RateRows = 20000
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $repo 'tests/Sandbox.psm1') -Force
if (-not $Module) { $Module = Get-BuiltModulePath }
$Module = (Resolve-Path $Module).Path
if ($Baseline) { $Baseline = (Resolve-Path $Baseline).Path }

# One measuring process: $args[0] is a JSON file of settings; it prints one line of JSON. The connection settings
# reach it in that file, never on its command line.
$child = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$s = Get-Content -Raw -LiteralPath $args[0] | ConvertFrom-Json
Import-Module $s.Module -Force
$bale = @{ BotId = 1; ApiKey = (ConvertTo-SecureString $s.Sandbox.BaleApiKey -AsPlainText -Force); Endpoint = $s.Endpoints.BaleEndpoint }
$flash = @{ Token = (ConvertTo-SecureString $s.Sandbox.FlashCallToken -AsPlainText -Force); Endpoint = $s.Endpoints.FlashCallEndpoint }
$feedbot = @{ Token = (ConvertTo-SecureString $s.Sandbox.FeedbotToken -AsPlainText -Force); Endpoint = $s.Endpoints.FeedbotEndpoint }
$zadarma = @{ Credential = [pscredential]::new($s.Sandbox.ZadarmaApiKey, (ConvertTo-SecureString $s.Sandbox.ZadarmaApiSecret -AsPlainText -Force)); Endpoint = $s.Endpoints.ZadarmaEndpoint }
function Rows([int]$n, [string]$column, [string]$text) {
    1..$n | ForEach-Object { $r = [ordered]@{}; $r[$column] = '98912{0:D7}' -f $_; if ($text) { $r[$text] = "Hello $_" }; [pscustomobject]$r }
}
$failed = @()
$clock = [Diagnostics.Stopwatch]::StartNew()
$out = @{}
switch ($s.What) {
    'callback' { $out.Results = @(Rows $s.Rows 'To' | Invoke-ZadarmaCallback -From 100 @zadarma -ThrottleLimit $s.ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue).Count }
    'sms' { $out.Results = @(Rows $s.Rows 'Number' 'Message' | Send-ZadarmaSms @zadarma -ThrottleLimit $s.ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue).Count }
    'flash' { $out.Results = @(Rows $s.Rows 'Destination' | Send-FlashCall @flash -ThrottleLimit $s.ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue).Count }
    'feedbot' { $out.Results = @(Rows $s.Rows 'Phone' 'Message' | Send-FeedbotMessage @feedbot -BatchSize $s.BatchSize -ThrottleLimit $s.ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue).Count }
    'bale' { $n = 0; Rows $s.Rows 'PhoneNumber' 'Text' | Send-BaleMessage @bale -ThrottleLimit $s.ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue | ForEach-Object { $n++ }; $out.Results = $n }
    'memory' {
        Rows 200 'PhoneNumber' 'Text' | Send-BaleMessage @bale -ThrottleLimit $s.ThrottleLimit | Out-Null
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $me = [Diagnostics.Process]::GetCurrentProcess(); $me.Refresh(); $before = $me.WorkingSet64
        $clock.Restart()
        $n = 0; Rows $s.Rows 'PhoneNumber' 'Text' | Send-BaleMessage @bale -ThrottleLimit $s.ThrottleLimit | ForEach-Object { $n++ }
        $me.Refresh(); $out.Results = $n; $out.PeakGrowthMB = [int](($me.PeakWorkingSet64 - $before) / 1MB)
    }
    'first' { $out.Results = @(Rows $s.Rows 'PhoneNumber' 'Text' | Send-BaleMessage @bale -ThrottleLimit $s.ThrottleLimit | Select-Object -First 5).Count }
    'retry' {
        $out.Results = @(Rows $s.Rows 'PhoneNumber' 'Text' | Send-BaleMessage @bale -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue).Count
        $out.FirstErrors = $failed.Count
        $again = @($failed.TargetObject)
        $failed = @()
        $null = $again | Send-BaleMessage @bale -ThrottleLimit 4 -ErrorAction SilentlyContinue -ErrorVariable failed
    }
}
$out.Seconds = $clock.Elapsed.TotalSeconds
$out.Errors = $failed.Count
$out.Uncertain = @($failed | Where-Object { $_.Exception.PSObject.Properties['MayHaveTakenEffect'] -and $_.Exception.MayHaveTakenEffect }).Count
$out | ConvertTo-Json -Compress
'@

$sandbox = Start-TestSandbox
$report = [System.Collections.Generic.List[object]]::new()

function Invoke-Measure {
    param([string]$Build, [hashtable]$Settings, [switch]$Front)
    $at = if ($Front) { $sandbox.Front } else { $sandbox }
    $credentials = @{}
    foreach ($n in 'BaleApiKey', 'FlashCallToken', 'FeedbotToken', 'ZadarmaApiKey', 'ZadarmaApiSecret') { $credentials[$n] = [string]$sandbox.$n }
    $endpoints = @{}
    foreach ($n in 'BaleEndpoint', 'FlashCallEndpoint', 'FeedbotEndpoint', 'ZadarmaEndpoint') { $endpoints[$n] = [string]$at.$n }
    $settings = @{ Module = $Build; Sandbox = $credentials; Endpoints = $endpoints } + $Settings
    Invoke-MeasuringPowerShell $child -Settings $settings -What ($Settings | ConvertTo-Json -Compress)
}

function Reset-Sandbox {
    param([string]$Manners = 'Polite', [int]$LatencyMs = 0)
    Reset-TestSandbox $sandbox
    Invoke-SandboxControl $sandbox zadarma/ratelimit -Body @{ limit = 100000000; statisticsLimit = 3; windowSeconds = 60 } | Out-Null
    if ($Manners -ne 'Polite') { Set-TestSandboxManners $sandbox $Manners }
    if ($LatencyMs -gt 0) { Set-SandboxLatency $sandbox -Milliseconds $LatencyMs }
}

function Get-Acted {
    <# Requests to a path that the sandbox acted on: not answered by a fault before processing. #>
    param([string]$PathContains)
    @(Get-SandboxRequest $sandbox | ForEach-Object { $_ } | Where-Object {
            $_.path -like "*$PathContains*" -and (-not $_.fault -or $_.afterProcessing) })
}

function Add-Figure {
    param([string]$What, [string]$Build, [string]$Figure)
    $label = if ($Build -eq $Module) { 'this' } else { 'baseline' }
    Write-Host ('  {0,-58} {1,-9} {2}' -f $What, $label, $Figure)
    $report.Add([pscustomobject]@{ What = $What; Build = $label; Figure = $Figure })
}

$builds = @($Module) + @($Baseline | Where-Object { $_ })
try {
    foreach ($name in $Scenario) {
        foreach ($build in $builds) {
            switch ($name) {
                'close-silently' {
                    foreach ($case in @(
                            @{ What = 'callback'; Rows = 200; Path = 'request/callback'; BatchSize = 1 },
                            @{ What = 'sms'; Rows = 200; Path = 'sms/send'; BatchSize = 1 },
                            @{ What = 'flash'; Rows = 200; Path = 'call/call'; BatchSize = 1 },
                            @{ What = 'feedbot'; Rows = 500; Path = 'addnewmessages'; BatchSize = 100 })) {
                        Reset-Sandbox -Manners CloseSilently
                        Add-SandboxFault $sandbox -Kind RateLimit -PathContains $case.Path -Every 10 -Count 100000 -RetryAfterSeconds 0
                        $m = Invoke-Measure -Build $build -Front -Settings @{ What = $case.What; Rows = $case.Rows; ThrottleLimit = 8; BatchSize = $case.BatchSize }
                        Add-Figure "closes silently, 429 every 10th, TL 8: $($case.What)" $build ("{0}/{1} results, {2} uncertain" -f $m.Results, $case.Rows, $m.Uncertain)
                    }
                }
                'close-500' {
                    Reset-Sandbox -Manners CloseSilently
                    Add-SandboxFault $sandbox -Kind Status -Status 500 -PathContains 'call/call' -Every 7 -Count 100000 -AfterProcessing
                    $m = Invoke-Measure -Build $build -Front -Settings @{ What = 'flash'; Rows = 200; ThrottleLimit = 8 }
                    $acted = Get-Acted 'call/call'
                    $fivehundreds = @($acted | Where-Object { $_.fault }).Count
                    Add-Figure 'closes silently, 500 after every 7th: 200 flash calls' $build ("{0} reached the server; {1} uncertain ({2} 500s)" -f $acted.Count, $m.Uncertain, $fivehundreds)
                }
                'memory' {
                    Reset-Sandbox
                    $m = Invoke-Measure -Build $build -Settings @{ What = 'memory'; Rows = $MemoryRows; ThrottleLimit = 16 }
                    Add-Figure ("{0:N0} Bale rows, no latency: peak working-set growth" -f $MemoryRows) $build ("{0} MB ({1:N0} rows/s)" -f $m.PeakGrowthMB, ($MemoryRows / $m.Seconds))
                }
                'rate' {
                    foreach ($limit in 16, 64) {
                        Reset-Sandbox
                        $null = Invoke-Measure -Build $build -Settings @{ What = 'bale'; Rows = 500; ThrottleLimit = $limit }
                        $m = Invoke-Measure -Build $build -Settings @{ What = 'bale'; Rows = $RateRows; ThrottleLimit = $limit }
                        Add-Figure "Send-BaleMessage rows/s, no latency, TL $limit" $build ("{0:N0} rows/s" -f ($RateRows / $m.Seconds))
                    }
                }
                'feedbot' {
                    Reset-Sandbox -LatencyMs 50
                    $batched = Invoke-Measure -Build $build -Settings @{ What = 'feedbot'; Rows = 10000; ThrottleLimit = 8; BatchSize = 100 }
                    Reset-Sandbox -LatencyMs 50
                    $single = Invoke-Measure -Build $build -Settings @{ What = 'feedbot'; Rows = 1000; ThrottleLimit = 8; BatchSize = 1 }
                    $a = 10000 / $batched.Seconds; $b = 1000 / $single.Seconds
                    Add-Figure 'FeedBot 50 ms, TL 8: BatchSize 100 against 1' $build ("{0:N0} msgs/s against {1:N0}: {2:0.0}x" -f $a, $b, ($a / $b))
                }
                'first' {
                    foreach ($limit in 16, 64) {
                        Reset-Sandbox -LatencyMs 50
                        $m = Invoke-Measure -Build $build -Settings @{ What = 'first'; Rows = 500; ThrottleLimit = $limit }
                        Start-Sleep -Seconds 1
                        $sent = @(Get-SandboxRequest $sandbox | ForEach-Object { $_ } | Where-Object { $_.path -like '*send_message*' }).Count
                        Add-Figure "Select-Object -First 5, 50 ms, TL $limit" $build ("{0} requests sent for {1} results (bound: {2})" -f $sent, $m.Results, (5 + $limit))
                    }
                }
                'faults-7th' {
                    Reset-Sandbox -LatencyMs 50
                    $clean = Invoke-Measure -Build $build -Settings @{ What = 'bale'; Rows = 2000; ThrottleLimit = 16 }
                    Reset-Sandbox -LatencyMs 50
                    Invoke-SandboxControl $sandbox faults -Body @{ kind = 'Status'; status = 500; pathContains = 'send_message'; every = 7; count = 100000; skipRepeats = $true; afterProcessing = $true } | Out-Null
                    $faulty = Invoke-Measure -Build $build -Settings @{ What = 'bale'; Rows = 2000; ThrottleLimit = 16 }
                    Add-Figure '2,000 Bale rows, 500 after every 7th delivery, against clean' $build ("{0:N1} s against {1:N1} s: {2:0.00}x ({3} results)" -f $faulty.Seconds, $clean.Seconds, ($faulty.Seconds / $clean.Seconds), $faulty.Results)
                }
                'retry' {
                    Reset-Sandbox
                    # Delivered, then answered 500 on all four attempts: rows 1 and 2 end "may have been delivered".
                    foreach ($phone in '989120000001', '989120000002') {
                        Invoke-SandboxControl $sandbox faults -Body @{ kind = 'Status'; status = 500; pathContains = 'send_message'; bodyContains = $phone; count = 4; afterProcessing = $true } | Out-Null
                    }
                    $m = Invoke-Measure -Build $build -Settings @{ What = 'retry'; Rows = 20; ThrottleLimit = 4 }
                    $deliveries = @(Get-SandboxBaleDelivery $sandbox | ForEach-Object { $_ })
                    $twice = @($deliveries | Group-Object { $_.phoneNumber } | Where-Object Count -gt 1).Count
                    Add-Figure '$failed.TargetObject | Send-BaleMessage after "may have been delivered"' $build ("{0} rows failed first; {1} messages delivered twice" -f $m.FirstErrors, $twice)
                }
            }
        }
    }
}
finally {
    Stop-TestSandbox -Sandbox $sandbox
}

Write-Host ''
$report | Group-Object What | ForEach-Object {
    $this = @($_.Group | Where-Object Build -eq 'this' | ForEach-Object Figure) -join '; '
    $base = @($_.Group | Where-Object Build -eq 'baseline' | ForEach-Object Figure) -join '; '
    [pscustomobject]@{ What = $_.Name; Baseline = $base; This = $this }
} | Format-Table -AutoSize -Wrap | Out-String -Width 240 | Write-Host
