# Pester 5: -Journal and Get-MessagingJournal (issue 9) against the sandbox over real HTTP, with real Import-Csv rows:
# a rerun sends nothing twice and forgets nothing; unknown rows are resent only where the provider drops repeats; a
# journal in use, of another cmdlet, torn or not a journal is a clear error with nothing sent. The crash test (kills at
# random moments) is tests/Journal.Crash.Tests.ps1. Saved as UTF-8 with a BOM (Persian text) for Windows PowerShell 5.1.

Describe 'Journal' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
        $BaleKey = $Sandbox.BaleApiKey
        $Bale = @{ BotId = 123; ApiKey = $BaleKey; Endpoint = $Sandbox.BaleEndpoint }
        $Flash = @{ Token = $Sandbox.FlashCallToken; Endpoint = $Sandbox.FlashCallEndpoint }

        function New-JournalPath { Join-Path $TestDrive "run-$([guid]::NewGuid().ToString('N')).journal" }

        function Get-Delivery { @(Get-SandboxBaleDelivery $Sandbox) }

        function Get-Call { @(Invoke-SandboxControl $Sandbox 'flashcall/calls' -Method GET) }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }
    Context 'Bale: exactly once' {
        It 'a rerun gives one outcome per row in input order: done rows from the journal, the failed row tried again' {
            $csv = Write-TestCsv 'orders.csv' @(
                'Phone,Text'
                '09123450001,سلام مریم'
                '09123450002,second'
                '09123450003,third'
            )
            $journal = New-JournalPath
            # The second row is refused once (a 400: cannot have been delivered), the others go.
            Add-SandboxFault $Sandbox -Kind Status -Status 400 -PathContains 'send_message' -Count 1 -Every 2
            $first = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable failed)
            $first.Count | Should -Be 2
            @($failed).Count | Should -Be 1
            $failed[0].TargetObject.Phone | Should -Be '09123450002'
            $first.FromJournal | Should -Be @($false, $false)
            (Get-MessagingJournal -Path $journal) | ForEach-Object { ($_.Done, $_.Failed, $_.Unknown) } | Should -Be @(2, 1, 0)

            $second = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -Journal $journal -ErrorAction Stop)
            $second.Count | Should -Be 3
            $second.Row | Should -Be @(1, 2, 3)
            $second.FromJournal | Should -Be @($true, $false, $true)
            $second[0].RequestId | Should -Be $first[0].RequestId
            $second[0].Text | Should -Be 'سلام مریم'
            $second[0].SentAt | Should -BeOfType [DateTimeOffset]   # the recorded result comes back typed
            $second[0].PSObject.TypeNames[0] | Should -Be 'MessagingTools.Core.Providers.Bale.BaleMessageResult'
            # Every row delivered once: the rerun sent only the row that had failed.
            $deliveries = Get-Delivery
            $deliveries.Count | Should -Be 3
            @($deliveries.phoneNumber | Sort-Object -Unique).Count | Should -Be 3
            (Get-MessagingJournal -Path $journal).Done | Should -Be 3
        }

        It 'identical rows are distinct messages, and a row whose text changed is a new one' {
            $journal = New-JournalPath
            $rows = @(
                [pscustomobject]@{ Phone = '09123450001'; Text = 'same' }
                [pscustomobject]@{ Phone = '09123450001'; Text = 'same' }
            )
            $rows | Send-BaleMessage @Bale -Journal $journal | Out-Null
            (Get-Delivery).Count | Should -Be 2

            $changed = $rows + [pscustomobject]@{ Phone = '09123450001'; Text = 'changed' }
            $again = @($changed | Send-BaleMessage @Bale -Journal $journal)
            $again.FromJournal | Should -Be @($true, $true, $false)
            @(Get-Delivery).Count | Should -Be 3
        }

        It 'a Bale row with no recorded answer is sent again under its first request_id and delivered once' {
            $journal = New-JournalPath
            # Delivered, but every answer is a 500: all 4 attempts (TransportOptions.MaxAttempts), so the row ends "may have
            # been delivered"; the fault is used up by then.
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'send_message' -Count 4 -AfterProcessing
            $err = $null
            '09123450009' | Send-BaleMessage @Bale -Text 'once only' -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
            $err[0].Exception.MayHaveTakenEffect | Should -BeTrue
            (Get-MessagingJournal -Path $journal).Unknown | Should -Be 1
            $firstId = (Get-MessagingJournal -Path $journal -Entry).RequestId
            @(Get-Delivery).Count | Should -Be 1

            $r = '09123450009' | Send-BaleMessage @Bale -Text 'once only' -Journal $journal -ErrorAction Stop
            $r.RequestId | Should -Be $firstId
            $r.FromJournal | Should -BeFalse
            @(Get-Delivery | Where-Object { $_.text -eq 'once only' }).Count | Should -Be 1
            (Get-MessagingJournal -Path $journal).Done | Should -Be 1
        }
    }

    Context 'providers that cannot drop repeats' {
        It 'a flash call with no recorded answer is not placed again: its row ends as JournalRowMayHaveBeenSent, unless -ResendUnknown' {
            $journal = Join-Path $TestDrive 'calls.journal'
            $csv = Write-TestCsv 'calls.csv' @('Phone,Name', '09123450001,a', '09123450002,b')
            # The second call is placed, and its answer is lost.
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'call' -Count 1 -Every 2 -AfterProcessing
            Import-Csv -LiteralPath $csv | Send-FlashCall @Flash -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue | Out-Null
            (Get-Call).Count | Should -Be 2
            $unknown = @(Get-MessagingJournal -Path $journal -State Unknown)
            $unknown.Count | Should -Be 1
            $unknown[0].Phone | Should -Be '09123450002'
            $unknown[0].Name | Should -Be 'b'

            $err = $null
            $again = @(Import-Csv -LiteralPath $csv | Send-FlashCall @Flash -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable err)
            (Get-Call).Count | Should -Be 2                      # nothing placed again
            $again.Count | Should -Be 1
            $again[0].FromJournal | Should -BeTrue
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'JournalRowMayHaveBeenSent,*'
            $err[0].Exception.MayHaveTakenEffect | Should -BeTrue
            $err[0].TargetObject.Name | Should -Be 'b'
            $err[0].ErrorDetails.Message | Should -BeLike 'Row 2*-ResendUnknown*'

            $resent = @(Import-Csv -LiteralPath $csv | Send-FlashCall @Flash -Journal $journal -ResendUnknown -ErrorAction Stop)
            $resent.FromJournal | Should -Be @($true, $false)
            (Get-Call).Count | Should -Be 3
            (Get-MessagingJournal -Path $journal).Done | Should -Be 2
        }

        It 'a run stopped early (Select-Object -First) still records the outcome of every call it had placed, so none is unknown' {
            $journal = Join-Path $TestDrive 'stopped.journal'
            Set-SandboxLatency $Sandbox 400
            $rows = 1..40 | ForEach-Object { [pscustomobject]@{ Phone = '0912345{0:D4}' -f $_ } }
            $first = @($rows | Send-FlashCall @Flash -Journal $journal -ThrottleLimit 8 | Select-Object -First 1)
            $first.Count | Should -Be 1
            Set-SandboxLatency $Sandbox 0
            $placed = (Get-Call).Count
            $placed | Should -BeGreaterThan 1                    # the calls in flight when the pipeline stopped were placed
            $summary = Get-MessagingJournal -Path $journal
            $summary.Unknown | Should -Be 0
            $summary.Done | Should -Be $placed
            # So the rerun places exactly the calls not placed yet, and refuses none.
            $again = @($rows | Send-FlashCall @Flash -Journal $journal -ErrorAction Stop)
            $again.Count | Should -Be 40
            (Get-Call).Count | Should -Be 40
        }

        It 'Ctrl+C on a journaled run lets the calls in flight end and records them: none is unknown, none is placed again' {
            $journal = Join-Path $TestDrive 'ctrl-c.journal'
            Set-SandboxLatency $Sandbox 300
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($ModulePath, $Token, $Endpoint, $Journal)
                    Import-Module $ModulePath
                    1..200 | ForEach-Object { '0912345{0:D4}' -f $_ } | Send-FlashCall -Token $Token -Endpoint $Endpoint -Journal $Journal -ThrottleLimit 8
                }).AddArgument((Get-BuiltModulePath)).AddArgument($Flash.Token).AddArgument($Flash.Endpoint).AddArgument($journal)
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-Call).Count -lt 20 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $ps.Stop()                                            # what Ctrl+C does
            $ps.Dispose()
            Set-SandboxLatency $Sandbox 0
            $placed = (Get-Call).Count
            $placed | Should -BeGreaterOrEqual 20
            $placed | Should -BeLessThan 200
            $summary = Get-MessagingJournal -Path $journal
            $summary.Unknown | Should -Be 0
            $summary.Done | Should -Be $placed
            $rest = @(1..200 | ForEach-Object { '0912345{0:D4}' -f $_ } | Send-FlashCall @Flash -Journal $journal -ErrorAction Stop)
            $rest.Count | Should -Be 200
            (Get-Call).Count | Should -Be 200
        }

        It '-IncludeInput gives every outcome object a FromJournal column, so one CSV of outcomes has the same columns every run' {
            $journal = Join-Path $TestDrive 'outcomes.journal'
            $rows = '09123450001', '09123450002' | ForEach-Object { [pscustomobject]@{ Phone = $_ } }
            $rows | Send-FlashCall @Flash -Journal $journal | Out-Null
            $out = Join-Path $TestDrive 'outcomes.csv'
            $rows | Send-FlashCall @Flash -Journal $journal -IncludeInput | Export-Csv -LiteralPath $out -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $out)
            $back.FromJournal | Should -Be @('True', 'True')
            $back.Outcome | Should -Be @('Succeeded', 'Succeeded')
            (Get-Call).Count | Should -Be 2
        }

        It 'the rows in a state come back in their own columns, ready to pipe into the cmdlet again' {
            $journal = Join-Path $TestDrive 'pipe.journal'
            Add-SandboxFault $Sandbox -Kind Status -Status 400 -PathContains 'call' -Count 1
            $rows = '09123450001', '09123450002' | ForEach-Object { [pscustomobject]@{ Mobile = $_; Customer = "c$_" } }
            $rows | Send-FlashCall @Flash -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue | Out-Null
            $failed = @(Get-MessagingJournal -Path $journal -State Failed)
            $failed.Count | Should -Be 1
            ($failed[0].PSObject.Properties.Name -join ',') | Should -Be 'Mobile,Customer'
            $r = @($failed | Send-FlashCall @Flash -Journal $journal -ErrorAction Stop)
            $r.Count | Should -Be 1
            $r[0].Destination | Should -Be '09123450001'
            (Get-MessagingJournal -Path $journal) | ForEach-Object { ($_.Done, $_.Failed, $_.Unknown, $_.Total) } | Should -Be @(2, 0, 0, 2)
            $entries = @(Get-MessagingJournal -Path $journal -Entry)
            $entries[0].Attempt | Should -Be 2
            $entries[0].PSObject.TypeNames[0] | Should -Be 'MessagingTools.Core.Journal.JournalEntry'
        }
    }

    Context 'files that are not this run''s' {
        It 'a journal another process holds stops the run before anything is sent' {
            $journal = Join-Path $TestDrive 'held.journal'
            $ready = Join-Path $TestDrive 'held.ready'
            $dll = Join-Path (Split-Path (Get-BuiltModulePath)) 'MessagingTools.Core.dll'
            $script = @"
Add-Type -LiteralPath '$dll'
# RunJournal is internal to the module: reached by reflection.
`$type = [MessagingTools.Core.Errors.MessagingException].Assembly.GetType('MessagingTools.Core.Journal.RunJournal', `$true)
`$j = `$type.GetMethod('Open').Invoke(`$null, @('$journal', 'Send-BaleMessage', 'Bale'))
Set-Content -LiteralPath '$ready' -Value 'open'
Start-Sleep -Seconds 60
"@
            $exe = Get-PowerShellExecutable
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
            $holder = Start-Process -FilePath $exe -ArgumentList '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded -PassThru
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (-not (Test-Path -LiteralPath $ready) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                Test-Path -LiteralPath $ready | Should -BeTrue

                $err = $null
                try { '09123450001' | Send-BaleMessage @Bale -Text 'x' -Journal $journal -ErrorAction Stop } catch { $err = $_ }
                $err | Should -Not -BeNullOrEmpty
                $err.FullyQualifiedErrorId | Should -BeLike 'JournalIsInUse,*'
                @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 0
                { Get-MessagingJournal -Path $journal -ErrorAction Stop } | Should -Throw -ErrorId 'JournalIsInUse*'
            }
            finally {
                Stop-Process -Id $holder.Id -Force -ErrorAction SilentlyContinue
                $holder.WaitForExit()
            }
            # The lock goes with the process: the journal is free again.
            '09123450001' | Send-BaleMessage @Bale -Text 'x' -Journal $journal -ErrorAction Stop | Out-Null
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
        }

        It 'a journal of another cmdlet, or a file that is not a journal, is refused and left as it is' {
            $journal = Join-Path $TestDrive 'bale.journal'
            '09123450001' | Send-BaleMessage @Bale -Text 'x' -Journal $journal | Out-Null
            { '09123450001' | Send-FlashCall @Flash -Journal $journal -ErrorAction Stop } | Should -Throw -ErrorId 'JournalIsForAnotherCmdlet*'

            $csv = Write-TestCsv 'contacts.csv' @('Phone,Text', '09123450001,hello')
            $before = Get-FileHash -LiteralPath $csv
            { Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -Journal $csv -ErrorAction Stop } | Should -Throw -ErrorId 'JournalIsNotAJournal*'
            (Get-FileHash -LiteralPath $csv).Hash | Should -Be $before.Hash
            @(Invoke-SandboxControl $Sandbox 'flashcall/calls' -Method GET).Count | Should -Be 0
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
        }

        It 'a last line torn by a crash is dropped with a warning, and every complete record is kept' {
            $journal = Join-Path $TestDrive 'torn.journal'
            $rows = '09123450001', '09123450002' | ForEach-Object { [pscustomobject]@{ Phone = $_; Text = 'hi' } }
            $rows | Send-BaleMessage @Bale -Journal $journal | Out-Null
            [IO.File]::AppendAllText($journal, '{"record":"intent","key":"abc')
            $warnings = $null
            $again = @($rows | Send-BaleMessage @Bale -Journal $journal -WarningVariable warnings -WarningAction SilentlyContinue)
            @($warnings).Count | Should -Be 1
            $again.FromJournal | Should -Be @($true, $true)
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 2
            (Get-MessagingJournal -Path $journal).Done | Should -Be 2
        }

        It '-WhatIf reads the journal, shows the rows it would send, and writes nothing' {
            $journal = Join-Path $TestDrive 'whatif.journal'
            '09123450001' | Send-BaleMessage @Bale -Text 'x' -Journal $journal | Out-Null
            $before = Get-FileHash -LiteralPath $journal
            $out = @('09123450001', '09123450002' | Send-BaleMessage @Bale -Text 'x' -Journal $journal -WhatIf)
            $out.Count | Should -Be 1                     # the done row's recorded result; the other is only shown
            $out[0].FromJournal | Should -BeTrue
            (Get-FileHash -LiteralPath $journal).Hash | Should -Be $before.Hash
            # A dry run refuses the journal a run would refuse.
            { '09123450001' | Send-FlashCall @Flash -Journal $journal -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'JournalIsForAnotherCmdlet*'
            $fresh = Join-Path $TestDrive 'never.journal'
            '09123450003' | Send-BaleMessage -Text 'x' -Endpoint $Sandbox.BaleEndpoint -BotId 123 -Journal $fresh -WhatIf
            Test-Path -LiteralPath $fresh | Should -BeFalse
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
        }
    }
}
