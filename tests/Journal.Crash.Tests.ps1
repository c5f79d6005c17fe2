# Pester 5: the journal's crash test (issue 9, "Shown by"). A 2,000-row run in a child PowerShell, with 50 ms of
# sandbox latency and -ThrottleLimit 8, is killed with Stop-Process -Force at 20 random moments and started again each
# time with the same command and the same -Journal, until a run completes; then the sandbox says what was delivered:
#   Send-BaleMessage     every row delivered exactly once (an unknown row goes again under its recorded request_id,
#                        which the sandbox, as Safir, does not deliver twice), and the journal says all 2,000 Done;
#   Send-FeedbotMessage  nothing queued twice; every row Done (queued once) or listed by -State Unknown (at most once);
#   Send-FlashCall       the same with the calls placed; the final run's JournalRowMayHaveBeenSent errors are exactly
#                        the unknown rows.
# The three runs go at the same time (one loop drives the three child processes), to keep the file near two minutes on
# a 2-core machine: most of the time is the children's start (PowerShell and the module).
#
# Kill moments: a seeded System.Random (the seed is printed; set MESSAGINGTOOLS_CRASH_SEED to replay one). Four kills
# in five come when the run has recorded a random 0 to 100 rows more than the runs before it (seen from the journal's
# length, the one thing of it that can be looked at while a run holds it), then a random 0 to 0.2 s later: so they
# spread over the rows whatever the machine's speed (timed kills alone all fall in the first second of sending on a
# loaded machine, where no answer has come back yet). One in five is timed from Start-Process, 0.3 s to 2.5 s: while the
# child starts, opens the journal (and cuts a torn last line) or replays what is done. 20 kills take about half of the
# rows; the last run sends the rest. No kill may take more than its share of the rows not yet recorded (those rows
# divided among the kills left and the last run), so that a fast run cannot complete before its 20th kill; near the
# end the kills come at the first rows a run records.
# Works on Windows PowerShell 5.1 and PowerShell 7 (no ternary, no ??, no ForEach-Object -Parallel).

Describe 'A journaled run killed at random moments and resumed' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Rows = 2000
        $Kills = 20
        # A kill comes when the run has recorded 0 to this many rows more (then up to 0.2 s later): 20 kills take about
        # 1,000 of the 2,000 rows wherever the machine's speed puts them in time, and the last run sends the rest.
        $MaxRowsPerKill = 100
        $Sandbox = Start-TestSandbox
        Set-SandboxLatency $Sandbox 50

        if ($env:MESSAGINGTOOLS_CRASH_SEED) { $Seed = [int]$env:MESSAGINGTOOLS_CRASH_SEED }
        else { $Seed = Get-Random -Minimum 1 -Maximum 2147483647 }
        Write-Host "Journal crash test: seed $Seed (MESSAGINGTOOLS_CRASH_SEED=$Seed replays these kill moments)"

        $Pwsh = Get-PowerShellExecutable
        $Module = Get-BuiltModulePath

        function New-Campaign {
            <#
            Writes the rows (Phone and Text: both hold the row's index) and the child's script: the one command every run
            of the campaign is, word for word. Only a run that completes reaches the last line, which writes what the
            run gave: each result's Row and FromJournal, each error's id and row.
            #>
            param([string]$Name, [int]$Number, [string]$PhoneFormat, [string]$Command)
            $folder = Join-Path $TestDrive $Name
            $null = New-Item -ItemType Directory -Path $folder -Force
            $csv = Join-Path $folder 'rows.csv'
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Text')
            for ($i = 1; $i -le $Rows; $i++) { $lines.Add(('{0},crash row {1:D4}' -f ($PhoneFormat -f $i), $i)) }
            [System.IO.File]::WriteAllLines($csv, $lines.ToArray(), (New-Object System.Text.UTF8Encoding($false)))
            $journal = Join-Path $folder 'run.journal'
            $report = Join-Path $folder 'report.json'
            $script = Join-Path $folder 'run.ps1'
            $text = @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name $(ConvertTo-SingleQuoted $Module)
`$failed = `$null
`$results = @(Import-Csv -LiteralPath $(ConvertTo-SingleQuoted $csv) -Encoding UTF8 |
    $Command -Journal $(ConvertTo-SingleQuoted $journal) -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable failed)
`$report = @{
    Results = @(`$results | ForEach-Object { ,@([long]`$_.Row, [bool]`$_.FromJournal) })
    Errors  = @(`$failed | ForEach-Object { ,@(`$_.FullyQualifiedErrorId.Split(',')[0], [string]`$_.TargetObject.Phone) })
}
[System.IO.File]::WriteAllText($(ConvertTo-SingleQuoted $report), (ConvertTo-Json -InputObject `$report -Depth 4 -Compress))
"@
            [System.IO.File]::WriteAllText($script, $text, (New-Object System.Text.UTF8Encoding($false)))
            [pscustomobject]@{
                Name = $Name; Folder = $folder; Csv = $csv; Journal = $journal; Report = $report; Script = $script
                Random = New-Object System.Random ($Seed + $Number)
                Runs = 0; Killed = 0; Moments = New-Object System.Collections.Generic.List[string]
                Process = $null; Started = $null; Length = 0; Reached = $null; Plan = $null
                Completed = $false; Seconds = 0.0
            }
        }

        function Start-CampaignRun {
            param($Campaign)
            $Campaign.Runs++
            $journal = New-Object System.IO.FileInfo ($Campaign.Journal)
            $Campaign.Length = 0
            $bytesPerRow = 600
            $recorded = 0
            if ($journal.Exists) {
                # No run holds the journal now: what a row has cost so far (its intent and outcome lines, resends included).
                $Campaign.Length = $journal.Length
                $records = @([System.IO.File]::ReadAllLines($Campaign.Journal)).Count - 1
                if ($records -ge 20) { $bytesPerRow = 2.0 * $journal.Length / $records }
                $recorded = [int]($records / 2)
            }
            $Campaign.Reached = $null
            $Campaign.Plan = $null
            if ($Campaign.Killed -lt $Kills) {
                $random = $Campaign.Random
                # The rows each kill left may take, so that every kill comes before the campaign could complete (a fast
                # run once sent its last rows before the 20th kill). Near the end, kills come at the first rows recorded.
                $share = [Math]::Floor(($Rows - $recorded) / ($Kills - $Campaign.Killed + 1))
                if ($random.Next(5) -eq 0 -and $share -ge 150) {
                    $Campaign.Plan = @{ From = 'start'; Seconds = 0.3 + 2.2 * $random.NextDouble(); Rows = 0; Bytes = 0 }
                }
                else {
                    # Up to 0.2 s more may send some 70 rows (8 requests of 2 rows each every 50 ms): kept out of the share.
                    $most = [Math]::Max(0, [Math]::Min($MaxRowsPerKill, $share - 70))
                    $rows = $random.Next(0, $most + 1)
                    $seconds = 0.2 * $random.NextDouble()
                    if ($share -lt 150) { $seconds = 0.0 }
                    $Campaign.Plan = @{ From = 'rows'; Seconds = $seconds; Rows = $rows; Bytes = $Campaign.Length + [long]($rows * $bytesPerRow) + 1 }
                }
            }
            $out = Join-Path $Campaign.Folder ("run{0}.out.txt" -f $Campaign.Runs)
            $err = Join-Path $Campaign.Folder ("run{0}.err.txt" -f $Campaign.Runs)
            $arguments = @('-NoProfile', '-NonInteractive', '-File', ('"{0}"' -f $Campaign.Script))
            $Campaign.Process = Start-Process -FilePath $Pwsh -ArgumentList $arguments -PassThru -NoNewWindow `
                -RedirectStandardOutput $out -RedirectStandardError $err
            $Campaign.Started = [System.Diagnostics.Stopwatch]::StartNew()
        }

        function Step-Campaign {
            <# One look at a campaign's child: kill it when its moment has come, start the next run when it is gone. #>
            param($Campaign)
            if ($Campaign.Completed) { return }
            if ($null -eq $Campaign.Process) { Start-CampaignRun $Campaign; return }
            $process = $Campaign.Process
            if ($process.HasExited) {
                $process.WaitForExit()
                $code = $process.ExitCode
                $Campaign.Process = $null
                if ($code -ne 0 -or -not (Test-Path -LiteralPath $Campaign.Report)) {
                    $errText = Get-Content -Raw -LiteralPath (Join-Path $Campaign.Folder ("run{0}.err.txt" -f $Campaign.Runs)) -ErrorAction SilentlyContinue
                    throw ("{0}: run {1} ended by itself with exit code {2} and no report (seed {3}):`n{4}" -f $Campaign.Name, $Campaign.Runs, $code, $Seed, $errText)
                }
                $Campaign.Completed = $true
                $Campaign.Seconds = $Campaign.Started.Elapsed.TotalSeconds
                return
            }
            if ($Campaign.Started.Elapsed.TotalSeconds -gt 240) {
                Stop-Process -Id $process.Id -Force
                throw ("{0}: run {1} did not end within 240 s (seed {2})." -f $Campaign.Name, $Campaign.Runs, $Seed)
            }
            $plan = $Campaign.Plan
            if ($null -eq $plan) { return }
            $elapsed = $Campaign.Started.Elapsed.TotalSeconds
            if ($plan.From -eq 'start') { $due = $elapsed -ge $plan.Seconds }
            else {
                if ($null -eq $Campaign.Reached) {
                    # The journal cannot be read while the run holds it, but its length can be looked at.
                    $journal = New-Object System.IO.FileInfo ($Campaign.Journal)
                    if ($journal.Exists -and $journal.Length -ge $plan.Bytes) { $Campaign.Reached = $elapsed }
                    return
                }
                $due = $elapsed - $Campaign.Reached -ge $plan.Seconds
            }
            if (-not $due) { return }
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            $process.WaitForExit()
            $Campaign.Process = $null
            if (Test-Path -LiteralPath $Campaign.Report) {
                # It completed in the moment before the kill: that is the last run.
                $Campaign.Completed = $true
                $Campaign.Seconds = $elapsed
                return
            }
            $Campaign.Killed++
            if ($plan.From -eq 'start') { $Campaign.Moments.Add(('{0:F2} s after the start' -f $plan.Seconds)) }
            else { $Campaign.Moments.Add(('{0:F2} s after ~{1} rows' -f $plan.Seconds, $plan.Rows)) }
        }

        $Campaigns = @(
            New-Campaign -Name 'bale' -Number 1 -PhoneFormat '0912{0:D7}' `
                -Command ("Send-BaleMessage -BotId 123 -ApiKey (ConvertTo-SecureString -String {0} -AsPlainText -Force) -Endpoint {1}" -f `
                    (ConvertTo-SingleQuoted $Sandbox.BaleApiKey), (ConvertTo-SingleQuoted $Sandbox.BaleEndpoint))
            # -BatchSize 2: 1,000 requests, so that the run lasts as long as the others and a kill leaves batches unknown.
            New-Campaign -Name 'feedbot' -Number 2 -PhoneFormat '98912{0:D7}' `
                -Command ("Send-FeedbotMessage -BatchSize 2 -Token (ConvertTo-SecureString -String {0} -AsPlainText -Force) -Endpoint {1}" -f `
                    (ConvertTo-SingleQuoted $Sandbox.FeedbotToken), (ConvertTo-SingleQuoted $Sandbox.FeedbotEndpoint))
            New-Campaign -Name 'flashcall' -Number 3 -PhoneFormat '0912{0:D7}' `
                -Command ("Send-FlashCall -Token (ConvertTo-SecureString -String {0} -AsPlainText -Force) -Endpoint {1}" -f `
                    (ConvertTo-SingleQuoted $Sandbox.FlashCallToken), (ConvertTo-SingleQuoted $Sandbox.FlashCallEndpoint))
        )
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        try {
            while (@($Campaigns | Where-Object { -not $_.Completed }).Count -gt 0) {
                foreach ($campaign in $Campaigns) { Step-Campaign $campaign }
                Start-Sleep -Milliseconds 10
            }
        }
        finally {
            foreach ($campaign in $Campaigns) {
                if ($campaign.Process -and -not $campaign.Process.HasExited) { Stop-Process -Id $campaign.Process.Id -Force -ErrorAction SilentlyContinue }
            }
        }
        foreach ($campaign in $Campaigns) {
            Write-Host ("{0}: {1} runs, {2} killed ({3}); the last took {4:F1} s" -f $campaign.Name, $campaign.Runs, $campaign.Killed,
                ($campaign.Moments -join ', '), $campaign.Seconds)
        }
        Write-Host ("All three done in {0:F0} s" -f $clock.Elapsed.TotalSeconds)
        $ByName = @{}
        foreach ($campaign in $Campaigns) { $ByName[$campaign.Name] = $campaign }

        function Get-Report {
            param($Campaign)
            $report = Get-Content -Raw -LiteralPath $Campaign.Report -Encoding UTF8 | ConvertFrom-Json
            [pscustomobject]@{
                Results = @($report.Results | ForEach-Object { [pscustomobject]@{ Row = [long]$_[0]; FromJournal = [bool]$_[1] } })
                Errors  = @($report.Errors | ForEach-Object { [pscustomobject]@{ Id = [string]$_[0]; Phone = [string]$_[1] } })
            }
        }

        function Get-RowIndex {
            <# The row's index, from its text ("crash row 0042") or its number (the last seven digits). #>
            param([string]$Text, [string]$Phone)
            if ($Text) { return [int]($Text -replace '^crash row ', '') }
            return [int]$Phone.Substring($Phone.Length - 7)
        }

        function Test-Unrepeated {
            <#
            The checks FeedBot and flash call share: the sandbox's records (by row index) hold no row twice and only rows of
            the run; every row is Done or Unknown, none Failed; a Done row was delivered exactly once; the final run gave a
            result for each Done row and a JournalRowMayHaveBeenSent error for each Unknown one, and nothing else.
            #>
            param($Campaign, [int[]]$Delivered)
            $Campaign.Killed | Should -Be $Kills -Because "the run is killed $Kills times before it may complete (seed $Seed)"
            $repeats = @($Delivered | Group-Object | Where-Object Count -gt 1)
            $repeats.Count | Should -Be 0 -Because "no row may be delivered twice; repeated: $(($repeats | Select-Object -First 10 | ForEach-Object Name) -join ', ') (seed $Seed)"
            @($Delivered | Where-Object { $_ -lt 1 -or $_ -gt $Rows }).Count | Should -Be 0

            $summary = Get-MessagingJournal -Path $Campaign.Journal
            $summary.Total | Should -Be $Rows
            $summary.Failed | Should -Be 0
            ($summary.Done + $summary.Unknown) | Should -Be $Rows
            $done = @(Get-MessagingJournal -Path $Campaign.Journal -State Done | ForEach-Object { Get-RowIndex -Text $_.Text -Phone $_.Phone })
            $unknown = @(Get-MessagingJournal -Path $Campaign.Journal -State Unknown | ForEach-Object { Get-RowIndex -Text $_.Text -Phone $_.Phone })
            $done.Count | Should -Be $summary.Done
            $unknown.Count | Should -Be $summary.Unknown
            $all = New-Object 'System.Collections.Generic.HashSet[int]'
            foreach ($i in $done + $unknown) { $null = $all.Add($i) }
            $all.Count | Should -Be $Rows -Because 'every row is Done or Unknown, and no row both'

            $deliveredSet = New-Object 'System.Collections.Generic.HashSet[int]'
            foreach ($i in $Delivered) { $null = $deliveredSet.Add($i) }
            @($done | Where-Object { -not $deliveredSet.Contains($_) }).Count | Should -Be 0 -Because 'a Done row was delivered'
            # So: Done rows delivered exactly once; Unknown rows at most once; none twice.

            $report = Get-Report $Campaign
            @($report.Errors | Where-Object Id -ne 'JournalRowMayHaveBeenSent').Count | Should -Be 0
            $refused = @($report.Errors | ForEach-Object { Get-RowIndex -Phone $_.Phone } | Sort-Object)
            ($refused -join ',') | Should -Be ((@($unknown | Sort-Object)) -join ',') -Because 'the final run refuses exactly the unknown rows'
            $report.Results.Count | Should -Be $summary.Done
            Write-Host ("{0}: {1} Done, {2} Unknown ({3} of them delivered), {4} delivered in all" -f $Campaign.Name, $summary.Done,
                $summary.Unknown, @($unknown | Where-Object { $deliveredSet.Contains($_) }).Count, $Delivered.Count)
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    It 'Send-BaleMessage: every row delivered exactly once, and the journal says all Done' {
        $campaign = $ByName['bale']
        $campaign.Killed | Should -Be $Kills -Because "the run is killed $Kills times before it may complete (seed $Seed)"

        $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
        $byRow = @($deliveries | Group-Object -Property text)
        $byRow.Count | Should -Be $Rows -Because 'every row was delivered'
        $repeats = @($byRow | Where-Object Count -gt 1)
        $repeats.Count | Should -Be 0 -Because "no row is delivered twice; repeated: $(($repeats | Select-Object -First 10 | ForEach-Object Name) -join ', ') (seed $Seed)"
        foreach ($delivery in $deliveries) {
            $i = Get-RowIndex -Text $delivery.text
            $delivery.phoneNumber | Should -Be ('98912{0:D7}' -f $i)
        }

        $summary = Get-MessagingJournal -Path $campaign.Journal
        $summary.Done | Should -Be $Rows
        $summary.Failed | Should -Be 0
        $summary.Unknown | Should -Be 0
        $summary.Total | Should -Be $Rows

        $report = Get-Report $campaign
        $report.Errors.Count | Should -Be 0
        (@($report.Results | ForEach-Object Row) -join ',') | Should -Be ((1..$Rows) -join ',') -Because 'one result per row, in input order'
        $fromJournal = @($report.Results | Where-Object FromJournal).Count
        $fromJournal | Should -BeGreaterThan 0 -Because 'the last run read back what the killed runs did'
        $requests = @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*send_message*' })
        Write-Host ("bale: {0} delivered, {1} send_message requests ({2} again under a recorded request_id); the last run sent {3} and read {4} back" -f `
            $deliveries.Count, $requests.Count, ($requests.Count - $Rows), ($Rows - $fromJournal), $fromJournal)
    }

    It 'Send-FeedbotMessage: nothing queued twice; every row Done (queued once) or listed as Unknown' {
        $queued = @(Invoke-SandboxControl $Sandbox 'feedbot/queued' | ForEach-Object { Get-RowIndex -Text $_.message })
        Test-Unrepeated -Campaign $ByName['feedbot'] -Delivered $queued
    }

    It 'Send-FlashCall: nothing called twice; every row Done (called once) or listed as Unknown' {
        $calls = @(Invoke-SandboxControl $Sandbox 'flashcall/calls' | ForEach-Object { Get-RowIndex -Phone $_.destination })
        Test-Unrepeated -Campaign $ByName['flashcall'] -Delivered $calls
    }
}
