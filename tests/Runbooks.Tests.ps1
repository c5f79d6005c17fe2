# Pester 5: the module as runbooks run it (issue 19): each test writes a script and runs it in a child
# `pwsh -NoProfile -NonInteractive -File`, as Azure Automation, CI and schedulers do, with the sandbox's endpoints and
# credentials in environment variables (the runbook defaults). What the child printed (all streams, merged) and its exit
# code are what the tests look at.
# Works on Windows PowerShell 5.1 and PowerShell 7 (no ternary, no ??).

Describe 'Runbooks: unattended runs' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Pwsh = Get-PowerShellExecutable
        $Module = Get-BuiltModulePath

        function Invoke-Runbook {
            # Runs $Script in a child pwsh -NonInteractive -File, the module imported and the sandbox's endpoints and
            # credentials in the environment; returns Lines (every stream, as text) and ExitCode.
            param([Parameter(Mandatory = $true)] [string]$Script, [string]$Name = 'runbook')
            $path = Join-Path $TestDrive "$Name.ps1"
            $prologue = "Import-Module -Name $(ConvertTo-SingleQuoted $Module) -ErrorAction Stop`n"
            Set-Content -LiteralPath $path -Value ($prologue + $Script) -Encoding UTF8
            $saved = @{}
            $variables = @{
                MESSAGINGTOOLS_BALE_API_KEY              = $Sandbox.BaleApiKey
                MESSAGINGTOOLS_BALE_BOT_ID               = '123'
                MESSAGINGTOOLS_BALE_ENDPOINT             = $Sandbox.BaleEndpoint
                MESSAGINGTOOLS_FLASHCALL_TOKEN           = $Sandbox.FlashCallToken
                MESSAGINGTOOLS_FLASHCALL_ENDPOINT        = $Sandbox.FlashCallEndpoint
                MESSAGINGTOOLS_FEEDBOT_TOKEN             = $Sandbox.FeedbotToken
                MESSAGINGTOOLS_FEEDBOT_ENDPOINT          = $Sandbox.FeedbotEndpoint
                MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT   = $Sandbox.FeedbotStatusEndpoint
                MESSAGINGTOOLS_ZADARMA_API_KEY           = $Sandbox.ZadarmaApiKey
                MESSAGINGTOOLS_ZADARMA_API_SECRET        = $Sandbox.ZadarmaApiSecret
                MESSAGINGTOOLS_ZADARMA_ENDPOINT          = $Sandbox.ZadarmaEndpoint
            }
            foreach ($name in $variables.Keys) {
                $saved[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, [string]$variables[$name])
            }
            try {
                $lines = & $Pwsh -NoProfile -NonInteractive -File $path 2>&1
                $code = $LASTEXITCODE
            }
            finally {
                foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            }
            [pscustomobject]@{ Lines = @($lines | ForEach-Object { [string]$_ }); ExitCode = $code }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    Context '-Debug never prompts and never fails (item 2)' {
        # Seen: under -NonInteractive the message was sent, then "PowerShell is in NonInteractive mode. Read and Prompt
        # functionality is not available." failed the row at its first verbose line (PowerShell gives a compiled
        # cmdlet's -Debug the Inquire preference for verbose lines), and the result was lost.
        It '<Name> -Debug writes its result and its debug lines, and no error' -TestCases @(
            @{ Name = 'Send-BaleMessage'; Command = "Send-BaleMessage -Phone 09121234567 -Text 'debug run' -Debug" }
            @{ Name = 'Send-FlashCall'; Command = 'Send-FlashCall -Phone 09121234567 -Debug' }
            @{ Name = 'Send-FeedbotMessage'; Command = "Send-FeedbotMessage -Phone 972586666644 -Message 'debug run' -Debug" }
            @{ Name = 'Get-ZadarmaBalance'; Command = 'Get-ZadarmaBalance -Debug' }
            @{ Name = 'Get-ZadarmaStatistics'; Command = "Get-ZadarmaStatistics -Start '2026-11-01' -End '2026-11-02' -Debug"; NoResult = $true }
            @{ Name = 'Send-BaleMessage under $VerbosePreference Continue'; Command = "& { `$VerbosePreference = 'Continue'; Send-BaleMessage -Phone 09121234567 -Text 'debug run' -Debug }" }
            @{ Name = 'Send-ZadarmaSms under $VerbosePreference Continue'; Command = "& { `$VerbosePreference = 'Continue'; Send-ZadarmaSms -Number 989121234567 -Message 'debug run' -Debug }" }
        ) {
            param($Name, $Command, $NoResult)
            $run = Invoke-Runbook -Name 'debug' -Script @"
`$ErrorActionPreference = 'Stop'
`$result = $Command 5>&1 4>&1 | ForEach-Object {
    if (`$_ -is [System.Management.Automation.DebugRecord]) { 'DEBUG-LINE ' + `$_.Message }
    elseif (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE-LINE ' + `$_.Message }
    else { 'RESULT ' + `$_.GetType().Name }
}
`$result
exit 0
"@
            $text = $run.Lines -join "`n"
            $text | Should -Not -Match 'NonInteractive mode'
            $run.ExitCode | Should -Be 0 -Because $text
            # (the sandbox's account has no calls in that period: Get-ZadarmaStatistics writes its zone line and nothing)
            if (-not $NoResult) { @($run.Lines | Where-Object { $_ -like 'RESULT *' }).Count | Should -BeGreaterThan 0 -Because $text }
            @($run.Lines | Where-Object { $_ -like 'DEBUG-LINE *' }).Count | Should -BeGreaterThan 0 -Because $text
        }

        It 'with -Debug the debug lines reach the console of a non-interactive run, and nothing waits for input' {
            $run = Invoke-Runbook -Name 'debug-console' -Script @"
Send-BaleMessage -Phone 09121234567 -Text 'debug run' -Debug | ForEach-Object { 'RESULT ' + `$_.Outcome }
exit 0
"@
            $text = $run.Lines -join "`n"
            $run.ExitCode | Should -Be 0 -Because $text
            $text | Should -Not -Match 'NonInteractive mode'
            $text | Should -Match 'RESULT'
            $text | Should -Match 'DEBUG:'
        }
    }

    Context 'Keys as runbooks hold them (item 3)' {
        # Get-AutomationPSCredential and SecretManagement's credential secrets give a PSCredential whose password is the
        # key; string secrets come as SecureString; a key may also be typed. Each form, for each key parameter, in a
        # child pwsh -NonInteractive with the key read from a file (never on a command line).
        It '<Parameter> of <Command> takes a <Form>' -TestCases @(
            foreach ($case in @(
                    @{ Command = "Send-BaleMessage -Phone 09121234567 -Text 'key form'"; Parameter = 'ApiKey'; Variable = 'MESSAGINGTOOLS_BALE_API_KEY'; Key = 'BaleApiKey' }
                    @{ Command = 'Send-FlashCall -Phone 09121234567'; Parameter = 'Token'; Variable = 'MESSAGINGTOOLS_FLASHCALL_TOKEN'; Key = 'FlashCallToken' }
                    @{ Command = "Send-FeedbotMessage -Phone 972586666644 -Message 'key form'"; Parameter = 'Token'; Variable = 'MESSAGINGTOOLS_FEEDBOT_TOKEN'; Key = 'FeedbotToken' }
                )) {
                foreach ($form in @('PSCredential', 'SecureString', 'String')) {
                    @{ Command = $case.Command; Parameter = $case.Parameter; Variable = $case.Variable; Key = $case.Key; Form = $form }
                }
            }
        ) {
            param($Command, $Parameter, $Variable, $Key, $Form)
            $keyFile = Join-Path $TestDrive 'key.txt'
            # The sandbox's key; the variable the runbook would otherwise use is emptied in the child.
            Set-Content -LiteralPath $keyFile -Value $Sandbox.$Key -NoNewline
            $make = @{
                PSCredential = "New-Object System.Management.Automation.PSCredential ('runbook', (ConvertTo-SecureString -String `$plain -AsPlainText -Force))"
                SecureString = 'ConvertTo-SecureString -String $plain -AsPlainText -Force'
                String       = '$plain'
            }[$Form]
            $run = Invoke-Runbook -Name 'keys' -Script @"
`$ErrorActionPreference = 'Stop'
`$plain = [System.IO.File]::ReadAllText($(ConvertTo-SingleQuoted $keyFile))
`$key = $make
[Environment]::SetEnvironmentVariable('$Variable', `$null)
$Command -$Parameter `$key | ForEach-Object { 'RESULT ' + `$_.GetType().Name }
exit 0
"@
            $text = $run.Lines -join "`n"
            $run.ExitCode | Should -Be 0 -Because $text
            @($run.Lines | Where-Object { $_ -like 'RESULT *' }).Count | Should -Be 1 -Because $text
        }

        It 'a wrong key given as a PSCredential is refused by the provider, and the key is not shown' {
            $wrong = 'wrong-key-' + [guid]::NewGuid().ToString('N')
            $run = Invoke-Runbook -Name 'wrong-key' -Script @"
`$key = New-Object System.Management.Automation.PSCredential ('runbook', (ConvertTo-SecureString -String '$wrong' -AsPlainText -Force))
Send-BaleMessage -Phone 09121234567 -Text 'wrong key' -ApiKey `$key -ErrorVariable failed -ErrorAction SilentlyContinue
'ERRORS ' + `$failed.Count
`$failed | Out-String -Width 300
exit 0
"@
            $text = ($run.Lines | Select-Object -Skip 0) -join "`n"
            $text | Should -Match 'ERRORS 1'
            # The child's script file holds the key (a test's literal); what the module wrote must not.
            ($run.Lines | Where-Object { $_ -notlike '*ConvertTo-SecureString*' }) -join "`n" | Should -Not -Match $wrong
        }
    }

    Context 'A stopped run says what it sent (item 1)' {
        # Seen: $ErrorActionPreference = 'Stop', a bad row 5 of 40, 50 ms latency: the run stopped at row 5; 12 rows had
        # reached Safir, and 8 of them were in no output, error or warning.
        BeforeAll {
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Text')
            for ($n = 1; $n -le 40; $n++) {
                if ($n -eq 5) { $lines.Add('12345,row 5 has a bad phone') }
                else { $lines.Add(('0912{0:D7},row {0}' -f $n)) }
            }
            $StopCsv = Write-TestCsv 'stop-at-row-5.csv' $lines.ToArray()
        }

        It 'names every row that reached the provider and is not in its output: row number, recipient and request id (<Name>)' -TestCases @(
            @{ Name = 'Send-BaleMessage'; Script = 'Import-Csv -LiteralPath $csv | Send-BaleMessage -ThrottleLimit 8 | ForEach-Object { ''RESULT {0} {1} {2}'' -f $_.Row, $_.PhoneNumber, $_.RequestId }' }
        ) {
            param($Name, $Script)
            Set-SandboxLatency $Sandbox 50
            $run = Invoke-Runbook -Name 'stop' -Script @"
`$ErrorActionPreference = 'Stop'
`$InformationPreference = 'Continue'
`$csv = $(ConvertTo-SingleQuoted $StopCsv)
try {
    $Script
}
catch {
    'STOPPED ' + `$_.FullyQualifiedErrorId
    exit 1
}
"@
            $text = $run.Lines -join "`n"
            $run.ExitCode | Should -Be 1 -Because $text
            $text | Should -Match 'STOPPED PhoneNumberIsNotAnIranianMobileNumber'
            $delivered = @(Get-SandboxBaleDelivery $Sandbox)
            # The bound of issue 16: the rows sent are the 4 written and at most ThrottleLimit more.
            $delivered.Count | Should -BeGreaterThan 4 -Because 'rows after the bad one were in flight when it stopped'
            foreach ($message in $delivered) {
                $row = [int]($message.text -replace '^row (\d+)$', '$1')
                $seen = @($run.Lines | Where-Object {
                        ($_ -like "RESULT $row *" -and $_ -like "*$($message.requestId)*") -or
                        ($_ -match "WARNING: Row $row \(" -and $_ -like "*$($message.phoneNumber)*" -and $_ -like "*request id $($message.requestId)*")
                    })
                $seen.Count | Should -Be 1 -Because "row $row reached Safir (request id $($message.requestId)); the run said:`n$text"
            }
            # A row that never went out is not named.
            @($run.Lines | Where-Object { $_ -like '*WARNING: Row *' }).Count | Should -Be ($delivered.Count - 4) -Because $text
            $text | Should -Match 'stopped: \d+ sent rows? (was|were) not written'
        }

        It 'under -ErrorVariable and an exit code, every row ends as a result or an error, and the exit code says so' {
            $run = Invoke-Runbook -Name 'errorvariable' -Script @"
`$results = Import-Csv -LiteralPath $(ConvertTo-SingleQuoted $StopCsv) | Send-BaleMessage -ErrorVariable failed -ErrorAction SilentlyContinue
'RESULTS ' + @(`$results).Count
'ERRORS ' + `$failed.Count
if (`$failed.Count -gt 0) { exit 2 }
exit 0
"@
            $run.ExitCode | Should -Be 2
            $run.Lines | Should -Contain 'RESULTS 39'
            $run.Lines | Should -Contain 'ERRORS 1'
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 39
        }
    }

    Context 'Every run ends with a summary (item 4)' {
        It 'writes one line to the information stream: rows, results, errors, uncertain rows, time and rate' {
            $csv = Write-TestCsv 'summary.csv' @('Phone,Text', '09121234567,one', '12345,bad', '09121234568,three')
            $run = Invoke-Runbook -Name 'summary' -Script @"
`$records = Import-Csv -LiteralPath $(ConvertTo-SingleQuoted $csv) | Send-BaleMessage -ErrorAction SilentlyContinue 6>&1 |
    Where-Object { `$_ -is [System.Management.Automation.InformationRecord] }
foreach (`$r in `$records) { 'INFO [' + (`$r.Tags -join ',') + '] ' + `$r.MessageData }
"@
            $info = @($run.Lines | Where-Object { $_ -like 'INFO *' })
            $info.Count | Should -Be 1 -Because ($run.Lines -join "`n")
            $info[0] | Should -Match '^INFO \[MessagingTools,Summary\] Send-BaleMessage: 3 rows, 2 results, 1 error, \d+\.\d s, [\d.]+ rows/s\.$'
        }

        It 'is shown by -InformationAction Continue, and counts uncertain rows' {
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'flashcall' -AfterProcessing -Count 1
            $run = Invoke-Runbook -Name 'summary-shown' -Script @"
@([pscustomobject]@{ Phone = '09121234567' }, [pscustomobject]@{ Phone = '09121234568' }) | Send-FlashCall -ThrottleLimit 1 -InformationAction Continue -ErrorAction SilentlyContinue | Out-Null
"@
            $run.Lines -join "`n" | Should -Match 'Send-FlashCall: 2 rows, 1 result, 1 error \(1 may have taken effect\)'
        }
    }

    Context 'One campaign split across workers: -Partition i/N (item 5)' {
        It '4 processes over the same 2,000 rows send every row once, each within 20% of a quarter, and their journals read as one' {
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Text')
            for ($n = 1; $n -le 2000; $n++) { $lines.Add(('0912{0:D7},campaign row {0}' -f $n)) }
            # Two identical rows: two messages, which may fall to different workers.
            $lines.Add('09120000001,campaign row 1')
            $csv = Write-TestCsv 'campaign.csv' $lines.ToArray()
            $folder = Join-Path $TestDrive 'campaign'
            $null = New-Item -ItemType Directory -Path $folder -Force
            $env:MESSAGINGTOOLS_BALE_API_KEY = $Sandbox.BaleApiKey
            $env:MESSAGINGTOOLS_BALE_BOT_ID = '123'
            $env:MESSAGINGTOOLS_BALE_ENDPOINT = $Sandbox.BaleEndpoint
            try {
                $processes = @(foreach ($i in 1..4) {
                        $script = Join-Path $folder "worker-$i.ps1"
                        Set-Content -LiteralPath $script -Encoding UTF8 -Value @"
Import-Module -Name $(ConvertTo-SingleQuoted $Module) -ErrorAction Stop
`$ErrorActionPreference = 'Stop'
`$results = @(Import-Csv -LiteralPath $(ConvertTo-SingleQuoted $csv) |
    Send-BaleMessage -Partition '$i/4' -Journal $(ConvertTo-SingleQuoted (Join-Path $folder "part-$i.journal")) -ThrottleLimit 8 -InformationAction Continue)
Set-Content -LiteralPath $(ConvertTo-SingleQuoted (Join-Path $folder "worker-$i.count")) -Value `$results.Count
"@
                        Start-Process -FilePath $Pwsh -ArgumentList @('-NoProfile', '-NonInteractive', '-File', ('"{0}"' -f $script)) -PassThru `
                            -RedirectStandardOutput (Join-Path $folder "worker-$i.out") -RedirectStandardError (Join-Path $folder "worker-$i.err")
                    })
            }
            finally {
                Remove-Item Env:MESSAGINGTOOLS_BALE_API_KEY, Env:MESSAGINGTOOLS_BALE_BOT_ID, Env:MESSAGINGTOOLS_BALE_ENDPOINT -ErrorAction Ignore
            }
            for ($i = 1; $i -le 4; $i++) {
                $processes[$i - 1].WaitForExit(300000) | Should -BeTrue
                $processes[$i - 1].ExitCode | Should -Be 0 -Because (Get-Content -Raw -LiteralPath (Join-Path $folder "worker-$i.err"))
            }

            $delivered = @(Get-SandboxBaleDelivery $Sandbox)
            $delivered.Count | Should -Be 2001
            @($delivered | Group-Object text | Where-Object Count -gt 1 | ForEach-Object Name) | Should -Be @('campaign row 1')
            @($delivered.requestId | Select-Object -Unique).Count | Should -Be 2001
            foreach ($i in 1..4) {
                $share = [int](Get-Content -LiteralPath (Join-Path $folder "worker-$i.count"))
                $share | Should -BeGreaterOrEqual 400 -Because "worker $i's share"
                $share | Should -BeLessOrEqual 600 -Because "worker $i's share"
                # Each worker's summary line names its partition and the rows it left to the others.
                Get-Content -Raw -LiteralPath (Join-Path $folder "worker-$i.out") |
                    Should -Match "Send-BaleMessage \(partition $i/4\): 2001 rows \($(2001 - $share) other workers'\), $share results, 0 errors"
            }

            $campaign = Get-MessagingJournal -Path (Join-Path $folder 'part-*.journal') -Combine
            $campaign.JournalCount | Should -Be 4
            $campaign.Done | Should -Be 2001
            $campaign.Total | Should -Be 2001
            $rows = @(Get-MessagingJournal -Path (Join-Path $folder 'part-*.journal') -Combine -State Done)
            $rows.Count | Should -Be 2001
            $rows[0].Text | Should -Be 'campaign row 1'
            $rows[1999].Text | Should -Be 'campaign row 2000'

            # Run again, as a retried job would: nothing is sent twice.
            $again = @(Import-Csv -LiteralPath $csv | Send-BaleMessage -Partition '3/4' -Journal (Join-Path $folder 'part-3.journal') -BotId 123 -ApiKey $Sandbox.BaleApiKey -Endpoint $Sandbox.BaleEndpoint)
            $again.Count | Should -BeGreaterThan 0
            @($again | Where-Object { -not $_.FromJournal }).Count | Should -Be 0
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 2001
        }

        It 'Start-ThreadJob: 4 thread jobs in one process over the same 400 rows send every row once, and their journals read as one' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
            $csv = Write-TestCsv 'threadjobs.csv' (@('Phone,Text') + @(1..400 | ForEach-Object { '0912{0:D7},thread row {0}' -f $_ }))
            $folder = Join-Path $TestDrive 'threadjobs'
            $null = New-Item -ItemType Directory -Path $folder -Force
            $key = $Sandbox.BaleApiKey
            $jobs = @(foreach ($i in 1..4) {
                    Start-ThreadJob -ArgumentList $i, $Module, $csv, $folder, $key, $Sandbox.BaleEndpoint -ScriptBlock {
                        param($Worker, $ModulePath, $List, $Folder, $Key, $Endpoint)
                        # A thread job does not see a module imported by path in the session that started it.
                        Import-Module -Name $ModulePath -ErrorAction Stop
                        $results = @(Import-Csv -LiteralPath $List |
                                Send-BaleMessage -BotId 123 -ApiKey $Key -Endpoint $Endpoint -Partition "$Worker/4" -Journal (Join-Path $Folder "part-$Worker.journal") -ThrottleLimit 4)
                        $results.Count
                    }
                })
            $null = $jobs | Wait-Job -Timeout 300
            $counts = @($jobs | Receive-Job -ErrorVariable jobErrors)
            $states = @($jobs | ForEach-Object State)
            $jobs | Remove-Job -Force

            $states | Should -Be @('Completed', 'Completed', 'Completed', 'Completed')
            $jobErrors | Should -BeNullOrEmpty
            $counts.Count | Should -Be 4
            ($counts | Measure-Object -Sum).Sum | Should -Be 400
            foreach ($count in $counts) { $count | Should -BeGreaterThan 0 -Because 'every worker has a share' }
            $delivered = @(Get-SandboxBaleDelivery $Sandbox)
            $delivered.Count | Should -Be 400
            @($delivered.text | Select-Object -Unique).Count | Should -Be 400
            $campaign = Get-MessagingJournal -Path (Join-Path $folder 'part-*.journal') -Combine
            $campaign.JournalCount | Should -Be 4
            $campaign.Done | Should -Be 400
        }

        It 'refuses a share that is not i/N before sending anything, naming the parameter' {
            $run = Invoke-Runbook -Name 'bad-partition' -Script @"
try { Send-BaleMessage -Phone 09121234567 -Text 'x' -Partition '5/4' -ErrorAction Stop } catch { 'ERROR ' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }
"@
            $run.Lines -join "`n" | Should -Match "ERROR PartitionIsInvalid.*-Partition '5/4'"
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 0
        }
    }

    Context 'The runbook patterns of docs/runbooks.md (samples/runbooks), under pwsh -NonInteractive' {
        BeforeAll {
            $Runbooks = Join-Path (Split-Path -Parent $PSScriptRoot) 'samples/runbooks'
            $ModuleRoot = Split-Path -Parent (Split-Path -Parent (Split-Path -Parent $Module))   # output/, which holds MessagingTools/<version>/
            function Invoke-SampleRunbook {
                param([string]$Name, [string[]]$Arguments)
                $script = "`$env:PSModulePath = $(ConvertTo-SingleQuoted $ModuleRoot) + [IO.Path]::PathSeparator + `$env:PSModulePath`n" +
                    "& $(ConvertTo-SingleQuoted (Join-Path $Runbooks $Name)) $($Arguments -join ' ')`nexit `$LASTEXITCODE"
                Invoke-Runbook -Name ($Name -replace '\.ps1$', '-run') -Script $script
            }
        }

        It 'Send-List.ps1 exits 0 when every row was sent, 1 when one failed, and writes every row''s outcome' {
            $good = Write-TestCsv 'good.csv' @('Phone,Text', '09121234567,one', '09121234568,two')
            $outcomes = Join-Path $TestDrive 'outcomes.csv'
            $run = Invoke-SampleRunbook 'Send-List.ps1' @('-List', (ConvertTo-SingleQuoted $good), '-Outcomes', (ConvertTo-SingleQuoted $outcomes))
            $run.ExitCode | Should -Be 0 -Because ($run.Lines -join "`n")
            @(Import-Csv $outcomes | Where-Object Outcome -eq 'Succeeded').Count | Should -Be 2
            $run.Lines -join "`n" | Should -Match 'Send-BaleMessage: 2 rows, 2 results, 0 errors'

            $bad = Write-TestCsv 'bad.csv' @('Phone,Text', '09121234567,one', '12345,two', '09121234568,three')
            $run = Invoke-SampleRunbook 'Send-List.ps1' @('-List', (ConvertTo-SingleQuoted $bad), '-Outcomes', (ConvertTo-SingleQuoted $outcomes))
            $run.ExitCode | Should -Be 1 -Because ($run.Lines -join "`n")
            $rows = @(Import-Csv $outcomes)
            $rows.Count | Should -Be 3
            $rows[1].Outcome | Should -Be 'Failed'
            $rows[1].ErrorId | Should -Be 'PhoneNumberIsNotAnIranianMobileNumber'
        }

        It 'Send-ListOrStop.ps1 stops at the bad row naming what it sent, and once the row is fixed sends only the rest' {
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Text')
            for ($n = 1; $n -le 40; $n++) { if ($n -eq 5) { $lines.Add('12345,row 5') } else { $lines.Add(('0912{0:D7},row {0}' -f $n)) } }
            $csv = Write-TestCsv 'stop.csv' $lines.ToArray()
            $journal = Join-Path $TestDrive 'stop.journal'
            Set-SandboxLatency $Sandbox 50
            $run = Invoke-SampleRunbook 'Send-ListOrStop.ps1' @('-List', (ConvertTo-SingleQuoted $csv), '-Journal', (ConvertTo-SingleQuoted $journal))
            $text = $run.Lines -join "`n"
            $run.ExitCode | Should -Not -Be 0 -Because $text
            $text | Should -Match 'PhoneNumberIsNotAnIranianMobileNumber|not an Iranian mobile number'
            $text | Should -Match 'stopped: \d+ sent rows? (was|were) not written'
            $first = @(Get-SandboxBaleDelivery $Sandbox).Count
            $first | Should -BeGreaterThan 4

            $lines[5] = '09120000005,row 5'
            [IO.File]::WriteAllLines($csv, $lines.ToArray())
            Set-SandboxLatency $Sandbox 0
            $run = Invoke-SampleRunbook 'Send-ListOrStop.ps1' @('-List', (ConvertTo-SingleQuoted $csv), '-Journal', (ConvertTo-SingleQuoted $journal))
            $run.ExitCode | Should -Be 0 -Because ($run.Lines -join "`n")
            $delivered = @(Get-SandboxBaleDelivery $Sandbox)
            $delivered.Count | Should -Be 40
            @($delivered.text | Select-Object -Unique).Count | Should -Be 40
        }
    }
}
