# Pester 5: the memory and allocation budgets of the sending cmdlets (issue 16, guard 2). Deterministic, not timed: a
# long stream of rows through each sending cmdlet must keep the managed heap flat and the bytes allocated per row
# under the figures committed in tests/budgets.json (which says how they were set). Every test prints what it measured.
#
# Each cmdlet runs in a child PowerShell of its own (a fresh process: no other test's objects on its heap), against the
# sandbox (another process: its own records of the run are not counted), at no latency. The rows are made lazily
# (1..N | ForEach-Object { [pscustomobject]@{...} }), never held in an array. In the child:
# - heap growth: the largest managed heap seen after a full, compacting collection, taken on the pipeline thread at
#   each tenth of the results while the cmdlet is still running (its per-run state alive), less the heap after a full
#   collection just before the run. Anything the cmdlet keeps per row for the whole run grows it in proportion to the
#   rows; what is bounded (the queue's window, the connection pool) does not.
# - bytes per row: [GC]::GetTotalAllocatedBytes($true) over the run, less what making the same number of rows and
#   counting them downstream allocates without the cmdlet (measured on a tenth of the rows beforehand), divided by the rows.
# The connection settings go to the child in the module's own environment variables, never in its command line.

BeforeDiscovery {
    $budgetFile = Join-Path $PSScriptRoot 'budgets.json'
    $Budgets = Get-Content -LiteralPath $budgetFile -Raw | ConvertFrom-Json
    $Cases = foreach ($entry in $Budgets.cmdlets.PSObject.Properties) {
        @{
            Cmdlet              = $entry.Name
            Rows                = [int]$entry.Value.rows
            HeapGrowthMB        = [double]$entry.Value.heapGrowthMB
            AllocatedBytesPerRow = [int]$entry.Value.allocatedBytesPerRow
        }
    }
}

Describe 'Memory and allocation budgets of the sending cmdlets' -Tag 'Budgets' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        $Sandbox = Start-TestSandbox
        $ModulePath = Get-BuiltModulePath

        # What the child reads: the module's environment variables (the sandbox's test credentials stay out of the
        # child's command line and out of every output). Restored in AfterAll.
        $Settings = @{
            MESSAGINGTOOLS_BALE_API_KEY          = $Sandbox.BaleApiKey
            MESSAGINGTOOLS_BALE_ENDPOINT         = $Sandbox.BaleEndpoint
            MESSAGINGTOOLS_BALE_BOT_ID           = '123'
            MESSAGINGTOOLS_FLASHCALL_TOKEN       = $Sandbox.FlashCallToken
            MESSAGINGTOOLS_FLASHCALL_ENDPOINT    = $Sandbox.FlashCallEndpoint
            MESSAGINGTOOLS_FEEDBOT_TOKEN         = $Sandbox.FeedbotToken
            MESSAGINGTOOLS_FEEDBOT_ENDPOINT      = $Sandbox.FeedbotEndpoint
            MESSAGINGTOOLS_ZADARMA_API_KEY       = $Sandbox.ZadarmaApiKey
            MESSAGINGTOOLS_ZADARMA_API_SECRET    = $Sandbox.ZadarmaApiSecret
            MESSAGINGTOOLS_ZADARMA_ENDPOINT      = $Sandbox.ZadarmaEndpoint
        }
        $SavedSettings = @{}
        foreach ($name in $Settings.Keys) {
            $SavedSettings[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Settings[$name])
        }

        # One small file that every Publish-BaleFile row uploads again.
        $UploadFile = Join-Path $TestDrive 'budget.txt'
        Set-Content -LiteralPath $UploadFile -Value 'a small file, uploaded once a row' -NoNewline

        # Per cmdlet: a scriptblock text that makes row $_ (a CSV-like row, as Import-Csv gives), and the command.
        $Runs = @{
            'Send-BaleMessage'       = @{ Row = "[pscustomobject]@{ Phone = '0912{0:D7}' -f `$_; Message = ""Hello, row `$_ of the run"" }"; Command = 'Send-BaleMessage' }
            'Publish-BaleFile'       = @{ Row = "[pscustomobject]@{ LiteralPath = $(ConvertTo-SingleQuoted $UploadFile) }"; Command = 'Publish-BaleFile' }
            'Send-FlashCall'         = @{ Row = "[pscustomobject]@{ Phone = '0912{0:D7}' -f `$_ }"; Command = 'Send-FlashCall' }
            'Send-FeedbotMessage'    = @{ Row = "[pscustomobject]@{ Phone = '97258{0:D7}' -f `$_; Message = ""Hello, row `$_ of the run"" }"; Command = 'Send-FeedbotMessage' }
            'Invoke-ZadarmaCallback' = @{ Row = "[pscustomobject]@{ From = '100'; To = '4420{0:D7}' -f `$_ }"; Command = 'Invoke-ZadarmaCallback' }
            'Send-ZadarmaSms'        = @{ Row = "[pscustomobject]@{ Number = '4420{0:D7}' -f `$_; Message = ""Hello, row `$_ of the run"" }"; Command = 'Send-ZadarmaSms' }
        }

        function Measure-CmdletRun {
            # Runs the stream in a child PowerShell and returns its figures (an object), or throws with the child's text.
            param([string]$Cmdlet, [int]$Rows)
            $run = $Runs[$Cmdlet]
            $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module -Name $(ConvertTo-SingleQuoted $ModulePath)
`$rows = $Rows
function New-Rows([int]`$count) { 1..`$count | ForEach-Object { $($run.Row) } }
# Warm up (first calls, JIT, the connection pool) so that one-time costs are not counted as the run's.
New-Rows 200 | $($run.Command) | Out-Null
`$baselineRows = [Math]::Max(1, [int](`$rows / 10))
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
`$a0 = [GC]::GetTotalAllocatedBytes(`$true)
`$counter = @{ Results = 0L }
New-Rows `$baselineRows | ForEach-Object { `$counter.Results++ }
`$rowBytes = ([GC]::GetTotalAllocatedBytes(`$true) - `$a0) / `$baselineRows
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
`$heap0 = [GC]::GetTotalMemory(`$true)
`$every = [Math]::Max(1, [int](`$rows / 10))
`$state = @{ Results = 0L; Peak = `$heap0; Samples = [System.Collections.Generic.List[long]]::new() }
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$a1 = [GC]::GetTotalAllocatedBytes(`$true)
New-Rows `$rows | $($run.Command) | ForEach-Object {
    `$state.Results++
    if (`$state.Results % `$every -eq 0) {
        `$heap = [GC]::GetTotalMemory(`$true)
        `$state.Samples.Add(`$heap - `$heap0)
        if (`$heap -gt `$state.Peak) { `$state.Peak = `$heap }
    }
}
`$allocated = [GC]::GetTotalAllocatedBytes(`$true) - `$a1
`$seconds = `$clock.Elapsed.TotalSeconds
'BUDGET-FIGURES ' + (ConvertTo-Json -Compress -InputObject ([ordered]@{
    Rows = `$rows
    Results = `$state.Results
    HeapGrowthMB = [Math]::Round((`$state.Peak - `$heap0) / 1MB, 2)
    HeapSamplesMB = @(`$state.Samples | ForEach-Object { [Math]::Round(`$_ / 1MB, 1) })
    AllocatedBytesPerRow = [int]((`$allocated - `$rowBytes * `$rows) / `$rows)
    RowMakingBytesPerRow = [int]`$rowBytes
    Seconds = [Math]::Round(`$seconds, 1)
    RowsPerSecond = [int](`$rows / `$seconds)
    PeakWorkingSetMB = [int]([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB)
}))
"@
            $child = Invoke-ChildPowerShell $script
            $line = @($child.Lines | Where-Object { $_ -like 'BUDGET-FIGURES *' })
            if ($child.ExitCode -ne 0 -or $line.Count -ne 1) {
                throw "The child PowerShell running $Cmdlet failed (exit code $($child.ExitCode)):`n$($child.Lines -join "`n")"
            }
            return ($line[0].Substring('BUDGET-FIGURES '.Length) | ConvertFrom-Json)
        }
    }

    AfterAll {
        if ($SavedSettings) {
            foreach ($name in $SavedSettings.Keys) { [Environment]::SetEnvironmentVariable($name, $SavedSettings[$name]) }
        }
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # The sandbox forgets the last cmdlet's records; Zadarma's limit of 100 requests a minute would make a long run
        # a run of waits, which is not what this measures.
        Reset-TestSandbox $Sandbox
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100000000; windowSeconds = 60 }
    }

    It '<Cmdlet>: <Rows> rows keep the heap growth under <HeapGrowthMB> MB and the allocations under <AllocatedBytesPerRow> bytes a row' -ForEach $Cases {
        $figures = Measure-CmdletRun -Cmdlet $Cmdlet -Rows $Rows

        Write-Host ("  {0}: {1} rows in {2} s ({3} rows/s); heap growth {4} MB (budget {5}; at each tenth: {6}); {7} bytes a row allocated (budget {8}; making the row: {9} more); peak working set {10} MB" -f
            $Cmdlet, $figures.Rows, $figures.Seconds, $figures.RowsPerSecond, $figures.HeapGrowthMB, $HeapGrowthMB,
            ($figures.HeapSamplesMB -join ', '), $figures.AllocatedBytesPerRow, $AllocatedBytesPerRow, $figures.RowMakingBytesPerRow,
            $figures.PeakWorkingSetMB)

        $figures.Results | Should -Be $Rows -Because 'every row ends as one result (the sandbox accepts them all)'
        $figures.HeapGrowthMB | Should -BeLessOrEqual $HeapGrowthMB -Because 'what a run keeps must not grow with its rows'
        $figures.AllocatedBytesPerRow | Should -BeLessOrEqual $AllocatedBytesPerRow
    }
}
