# Pester 5 acceptance tests of how the module's cmdlets behave in a real PowerShell pipeline when the pipeline ends
# early or is watched: -ErrorAction Stop on a bad row, Select-Object -First, [powershell]::Stop() (what Ctrl+C does),
# and progress records. Send-BaleMessage against the sandbox (tests/MessagingTools.Sandbox) over real HTTP, rows read
# by the real Import-Csv.
# The bounds asserted come from docs/behaviour.md ("How every cmdlet behaves") and the remarks of
# src/MessagingTools.Core/Pipeline/OrderedWorkQueue.cs: ThrottleLimit bounds the requests in flight, and no row starts
# more than ThrottleLimit rows past the rows written, unless the oldest row not finished yet is retrying (a 5xx or a
# timeout, then a back-off): then rows may start up to the lookahead (64 x ThrottleLimit rows) past the oldest row not
# written yet, so that the rows after it keep going. When the pipeline stops, nothing new starts: with no row retrying,
# at most ThrottleLimit rows past the last one written went out unseen (issue 16).

Describe 'The cmdlets in a pipeline that ends early' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $ApiKey = $Sandbox.BaleApiKey
        $Bale = @{ BotId = 123; ApiKey = $ApiKey; Endpoint = $Sandbox.BaleEndpoint }

        function Write-NumberedCsv {
            # A CSV of -Count rows: row N has phone 0912 + N in 7 digits and text "row N"; returns the path.
            param([string]$Name, [int]$Count)
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Message')
            for ($n = 1; $n -le $Count; $n++) { $lines.Add(('0912{0:D7},row {0}' -f $n)) }
            return Write-TestCsv $Name $lines.ToArray()
        }

        function Get-SentRowNumber {
            # The row numbers of the send_message requests that reached the sandbox, from their text "row N".
            foreach ($request in @(Get-SandboxRequest $Sandbox)) {
                if ($request.path -notlike '*send_message*') { continue }
                $text = [string](ConvertFrom-Json -InputObject $request.body).message_data.message.text
                if ($text -notmatch '^row (\d+)$') { throw "Unexpected text in a request: '$text'" }
                [int]$Matches[1]
            }
        }

        function New-SendingPowerShell {
            # A [powershell] (with its own new runspace) set up to import the built module by path and run
            # Import-Csv -Csv | Send-BaleMessage against the sandbox, 8 requests at a time; the caller invokes and disposes it.
            param([string]$Csv)
            $ps = [powershell]::Create()
            $null = $ps.AddScript('param($Module, $Csv, $Endpoint, $Key)
                Import-Module -Name $Module -ErrorAction Stop
                Import-Csv -LiteralPath $Csv | Send-BaleMessage -BotId 123 -ApiKey $Key -Endpoint $Endpoint -ThrottleLimit 8')
            $null = $ps.AddParameter('Module', (Get-BuiltModulePath)).AddParameter('Csv', $Csv)
            $null = $ps.AddParameter('Endpoint', $Sandbox.BaleEndpoint).AddParameter('Key', $ApiKey)
            return $ps
        }

        function Wait-SandboxQuiet {
            # Reads the sandbox's request count until it stays the same for -QuietMs (requests in flight when the
            # pipeline stopped have arrived by then); returns that count.
            param([int]$QuietMs = 600, [int]$TimeoutSec = 10)
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            $count = @(Get-SandboxRequest $Sandbox).Count
            while ([DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds $QuietMs
                $next = @(Get-SandboxRequest $Sandbox).Count
                if ($next -eq $count) { return $count }
                $count = $next
            }
            throw "The sandbox kept receiving requests for $TimeoutSec s after the pipeline stopped ($count so far)."
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    Context '-ErrorAction Stop' {
        It 'stops at the first bad row (<Case>) with a terminating error naming it, and sends at most ThrottleLimit rows after it' -ForEach @(
            @{ Case = 'a phone refused before sending'; BadPhone = '12345'; ErrorId = 'PhoneNumberIsNotAnIranianMobileNumber'; BadRowSent = $false }
            @{ Case = 'a recipient Safir refuses (code 17)'; BadPhone = '98 99999900 17'; ErrorId = 'BaleRecipientIsNotABaleUser'; BadRowSent = $true }
        ) {
            $throttle = 4
            $badRow = 10
            # Many more rows than the bad one plus ThrottleLimit: a run that did not stop would send some that a stopped one cannot.
            $rowCount = 100
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Message')
            for ($n = 1; $n -le $rowCount; $n++) {
                if ($n -eq $badRow) { $lines.Add(('{0},row {1}' -f $BadPhone, $n)) } else { $lines.Add(('0912{0:D7},row {0}' -f $n)) }
            }
            $csv = Write-TestCsv 'stop.csv' $lines.ToArray()
            Set-SandboxLatency $Sandbox 30
            $results = New-Object System.Collections.Generic.List[object]
            $caught = $null

            try {
                Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ThrottleLimit $throttle -ErrorAction Stop |
                    ForEach-Object { $results.Add($_) }
            }
            catch {
                $caught = $_
            }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $caught.ToString() | Should -BeLike "Row $badRow, PhoneNumber: *"
            $caught.TargetObject.Phone | Should -Be $BadPhone
            $caught.TargetObject.Message | Should -Be "row $badRow"
            # Every row before it was written, in order, and nothing after it.
            ($results | ForEach-Object { $_.Text }) -join '|' | Should -Be ((1..($badRow - 1) | ForEach-Object { "row $_" }) -join '|')

            $total = Wait-SandboxQuiet
            $sent = @(Get-SentRowNumber)
            $sent.Count | Should -Be $total
            # Rows before the bad one: each sent once.
            @($sent | Where-Object { $_ -lt $badRow } | Sort-Object -Unique).Count | Should -Be ($badRow - 1)
            @($sent | Where-Object { $_ -eq $badRow }).Count -gt 0 | Should -Be $BadRowSent
            # Rows after it: not all of them, and no more than ThrottleLimit (the rows that may have been started,
            # unseen, when the error was written: no row was retrying, so the lookahead stayed closed).
            $after = @($sent | Where-Object { $_ -gt $badRow })
            $after.Count | Should -BeLessOrEqual $throttle
            @($after | Where-Object { $_ -gt $badRow + $throttle }).Count | Should -Be 0
            $total | Should -BeLessThan $rowCount
        }
    }

    Context 'Select-Object -First' {
        It 'stops sending after the first 5 of 2,000 rows within 4 s, with at most ThrottleLimit more requests than 5' {
            $throttle = 8
            $csv = Write-NumberedCsv 'first.csv' 2000
            # 2,000 rows at 30 ms, 8 at a time, would take about 7.5 s.
            Set-SandboxLatency $Sandbox 30
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ThrottleLimit $throttle | Select-Object -First 5)

            $clock.Stop()
            ($results | ForEach-Object { $_.Text }) -join '|' | Should -Be 'row 1|row 2|row 3|row 4|row 5'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
            $total = Wait-SandboxQuiet
            $total | Should -BeGreaterOrEqual 5
            $total | Should -BeLessOrEqual (5 + $throttle)
            $sent = @(Get-SentRowNumber)
            @($sent | Where-Object { $_ -gt 5 + $throttle }).Count | Should -Be 0
        }

        # Issue 16, guard 4: with no row in back-off, no more than ThrottleLimit rows start past the rows the pipeline
        # has seen. Measured in PowerShell 7.6.9 before the fix: 24 requests at ThrottleLimit 16, 157 at 64, because the
        # lookahead of 16 x ThrottleLimit rows was open all the time (rows finished out of order behind a row still on
        # the wire gave up their slots, so more rows started).
        It 'stops sending after the first 5 of 500 rows with no faults, with at most ThrottleLimit (<Throttle>) more requests than 5' -ForEach @(
            @{ Throttle = 16 }
            @{ Throttle = 64 }
        ) {
            $csv = Write-NumberedCsv "first-$Throttle.csv" 500
            Set-SandboxLatency $Sandbox 50

            $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ThrottleLimit $Throttle | Select-Object -First 5)

            ($results | ForEach-Object { $_.Text }) -join '|' | Should -Be 'row 1|row 2|row 3|row 4|row 5'
            # The requests in flight when the pipeline stopped still land: wait until the sandbox has heard them all.
            $total = Wait-SandboxQuiet
            Write-Host "ThrottleLimit ${Throttle}: $total requests sent for 5 rows seen (bound: $(5 + $Throttle))"
            $total | Should -BeGreaterOrEqual 5
            $total | Should -BeLessOrEqual (5 + $Throttle)
            $sent = @(Get-SentRowNumber)
            @($sent | Where-Object { $_ -gt 5 + $Throttle }).Count | Should -Be 0
        }
    }

    Context '[powershell]::Stop() (what Ctrl+C does)' {
        It 'returns promptly, ends the run as stopped and sends no request after that' {
            $rowCount = 2000
            $csv = Write-NumberedCsv 'long.csv' $rowCount
            # 2,000 rows at 200 ms, 8 at a time: about 50 s if nothing stopped it.
            Set-SandboxLatency $Sandbox 200
            # A new [powershell] has its own runspace: the module is imported there by path.
            $ps = New-SendingPowerShell -Csv $csv
            try {
                $noInput = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
                $noInput.Complete()
                $output = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
                $handle = $ps.BeginInvoke($noInput, $output)

                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (@(Get-SandboxRequest $Sandbox).Count -lt 16 -and [DateTime]::UtcNow -lt $deadline -and -not $handle.IsCompleted) {
                    Start-Sleep -Milliseconds 50
                }
                $ps.InvocationStateInfo.State | Should -Be 'Running'
                $before = @(Get-SandboxRequest $Sandbox).Count
                $before | Should -BeGreaterOrEqual 16

                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Stop()

                $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $ps.InvocationStateInfo.Reason | Should -BeOfType [System.Management.Automation.PipelineStoppedException]
                $endError = $null
                try { $null = $ps.EndInvoke($handle) } catch { $endError = $_.Exception }
                $endError | Should -Not -BeNullOrEmpty
                $endError.GetBaseException() | Should -BeOfType [System.Management.Automation.PipelineStoppedException]
                $ps.Streams.Error.Count | Should -Be 0

                # Nothing more arrives after Stop(): two reads with a pause between them agree.
                $first = @(Get-SandboxRequest $Sandbox).Count
                Start-Sleep -Milliseconds 1000
                $second = @(Get-SandboxRequest $Sandbox).Count
                $second | Should -Be $first
                $second | Should -BeLessThan ($rowCount / 10)
                # The requests in flight at Stop() were cancelled: the sandbox, still waiting out its latency for
                # them, never delivered them; every result written belongs to a delivered message.
                $delivered = @(Get-SandboxBaleDelivery $Sandbox).Count
                $delivered | Should -BeLessThan $second
                $output.Count | Should -BeLessOrEqual $delivered
            }
            finally {
                $ps.Dispose()
            }
        }
    }

    Context 'Progress' {
        It 'writes progress records for a run longer than a second, naming the activity, and completes them' {
            $csv = Write-NumberedCsv 'progress.csv' 320
            # 320 rows at 50 ms, 8 at a time: about 2 s.
            Set-SandboxLatency $Sandbox 50
            $ps = New-SendingPowerShell -Csv $csv
            try {
                $results = @($ps.Invoke())

                $results.Count | Should -Be 320
                $ps.Streams.Error.Count | Should -Be 0
                $records = @($ps.Streams.Progress)
                $records.Count | Should -BeGreaterOrEqual 2
                @($records | ForEach-Object { $_.ActivityId } | Sort-Object -Unique).Count | Should -Be 1
                foreach ($record in $records) { $record.Activity | Should -Match 'Bale' }
                $processing = @($records | Where-Object { $_.RecordType -eq 'Processing' })
                $processing.Count | Should -BeGreaterOrEqual 1
                # "120 sent, 8 in flight, 61.5/s" while rows arrive; "300 of 320 sent, ..." once their count is known.
                foreach ($record in $processing) {
                    $record.StatusDescription | Should -Match '^\d+( of 320)? sent, \d+ in flight, \d+(\.\d)?/s$'
                    [int]($record.StatusDescription -replace '^.*, (\d+) in flight.*$', '$1') | Should -BeLessOrEqual 8 -Because 'at most ThrottleLimit requests are in flight'
                }
                @($processing | Where-Object { $_.StatusDescription -match ' of 320 sent' }).Count | Should -BeGreaterOrEqual 1
                $records[-1].RecordType | Should -Be 'Completed'
                @($records | Where-Object { $_.RecordType -eq 'Completed' }).Count | Should -Be 1
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'shows the wait a rate limit imposes (a 429 that asks for 3 s) in its progress (issue 19, item 4)' {
            $csv = Write-NumberedCsv 'rate-limited.csv' 20
            Add-SandboxFault $Sandbox -Kind RateLimit -PathContains 'send_message' -RetryAfterSeconds 3
            $ps = New-SendingPowerShell -Csv $csv
            try {
                $results = @($ps.Invoke())
                $results.Count | Should -Be 20
                $statuses = @($ps.Streams.Progress | Where-Object { $_.RecordType -eq 'Processing' } | ForEach-Object StatusDescription)
                @($statuses | Where-Object { $_ -match ", waiting [1-3] s for Safir's rate limit$" }).Count | Should -BeGreaterThan 0 -Because ($statuses -join "`n")
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'writes no progress for a run shorter than a second' {
            $csv = Write-NumberedCsv 'quick.csv' 3
            $ps = New-SendingPowerShell -Csv $csv
            try {
                $results = @($ps.Invoke())

                $results.Count | Should -Be 3
                $ps.Streams.Progress.Count | Should -Be 0
            }
            finally {
                $ps.Dispose()
            }
        }
    }
}
