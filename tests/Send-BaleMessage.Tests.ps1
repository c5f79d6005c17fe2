# Pester 5 acceptance tests of Send-BaleMessage against the sandbox (tests/MessagingTools.Sandbox) over real HTTP,
# with rows read by the real Import-Csv from files in $TestDrive.
# Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# This file holds Persian text: it is saved as UTF-8 WITH a BOM, which Windows PowerShell 5.1 needs to read it.
# Behaviours and names come from src/MessagingTools/Commands/Bale/SendBaleMessageCommand.cs,
# src/MessagingTools.Core/Providers/Bale/BaleClient.cs and tests/MessagingTools.Sandbox/Providers/BaleSandbox.cs.

Describe 'Send-BaleMessage' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $ApiKey = $Sandbox.BaleApiKey
        $Bale = @{ BotId = 123; ApiKey = $ApiKey; Endpoint = $Sandbox.BaleEndpoint }

        function Send-Csv {
            # Import-Csv | Send-BaleMessage; returns the results and the errors (non-terminating, one per bad row).
            param([string]$Path, [hashtable]$Extra = @{})
            $sendErrors = $null
            $results = @(Import-Csv -LiteralPath $Path -Encoding UTF8 |
                Send-BaleMessage @Bale @Extra -ErrorAction SilentlyContinue -ErrorVariable sendErrors)
            return [pscustomobject]@{ Results = $results; Errors = @($sendErrors) }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget deliveries, requests and faults; latency back to 0.
        Reset-TestSandbox $Sandbox
    }

    Context 'Binding from Import-Csv' {
        It 'binds the <PhoneColumn> and <TextColumn> columns' -ForEach @(
            @{ PhoneColumn = 'Phone'; TextColumn = 'Message' }
            @{ PhoneColumn = 'Mobile'; TextColumn = 'Text' }
            @{ PhoneColumn = 'PhoneNumber'; TextColumn = 'Message' }
            @{ PhoneColumn = 'PhoneNumber'; TextColumn = 'Text' }
            @{ PhoneColumn = 'Mobile'; TextColumn = 'Message' }
        ) {
            $csv = Write-TestCsv "binding-$PhoneColumn-$TextColumn.csv" @(
                "$PhoneColumn,$TextColumn"
                '0912 345 6789,Hello from Pester'
                '۰۹۱۲۳۴۵۶۷۸۰,سلام از Pester'
            )

            $run = Send-Csv $csv

            $run.Errors.Count | Should -Be 0
            $run.Results.Count | Should -Be 2
            $run.Results[0].PhoneNumber | Should -Be '989123456789'
            $run.Results[0].Text | Should -Be 'Hello from Pester'
            $run.Results[0].BotId | Should -Be 123
            $run.Results[1].PhoneNumber | Should -Be '989123456780'
            $run.Results[1].Text | Should -Be 'سلام از Pester'

            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 2
            @($deliveries | Where-Object { $_.phoneNumber -eq '989123456789' })[0].text | Should -Be 'Hello from Pester'
            @($deliveries | Where-Object { $_.phoneNumber -eq '989123456780' })[0].text | Should -Be 'سلام از Pester'
            @($deliveries | Where-Object { $_.botId -ne 123 }).Count | Should -Be 0
        }

        It 'takes the API key as a SecureString too' {
            $csv = Write-TestCsv 'securestring-key.csv' @('Phone,Message', '09123456789,key from a SecureString')
            $secureKey = ConvertTo-SecureString -String $ApiKey -AsPlainText -Force

            $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 |
                Send-BaleMessage -BotId 123 -ApiKey $secureKey -Endpoint $Sandbox.BaleEndpoint)

            $results.Count | Should -Be 1
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
        }
    }

    Context '-WhatIf' {
        It 'sends nothing and writes no result' {
            $csv = Write-TestCsv 'whatif-inprocess.csv' @('Phone,Message', '09123456789,not sent', '09123456780,not sent either')

            $run = Send-Csv $csv @{ WhatIf = $true }

            $run.Results.Count | Should -Be 0
            $run.Errors.Count | Should -Be 0
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 0
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }

        It 'prints one "What if:" line per row, naming the number and the text' {
            # "What if:" lines go to the host only (no stream captures them), so this runs in a child process and
            # reads its console output. See ../shared/POWERSHELL-FACTS.md item 4 for the line's exact form.
            $csv = Write-TestCsv 'whatif.csv' @(
                'Phone,Message,Secure'
                '0912 345 6789,first row,no'
                '+98 912 345 6780,second row,'
                '09123456781,the text of a secure message,yes'
            )
            $manifest = (Get-BuiltModulePath).Replace("'", "''")
            $csvLiteral = $csv.Replace("'", "''")
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name '$manifest'
`$out = @(Import-Csv -LiteralPath '$csvLiteral' -Encoding UTF8 | Send-BaleMessage -BotId 123 -ApiKey '$ApiKey' -Endpoint '$($Sandbox.BaleEndpoint)' -WhatIf)
'OUTPUT COUNT ' + `$out.Count
"@

            $child = Invoke-ChildPowerShell $script

            $child.ExitCode | Should -Be 0
            $whatIf = @($child.Lines | Where-Object { $_ -like 'What if:*' })
            $whatIf.Count | Should -Be 3
            $whatIf[0] | Should -BeLike 'What if: Performing the operation "Send Bale message "first row" from bot 123" on target "989123456789"*'
            $whatIf[1] | Should -BeLike 'What if: Performing the operation "Send Bale message "second row" from bot 123" on target "989123456780"*'
            # A secure message's text is not previewed.
            $whatIf[2] | Should -BeLike 'What if: Performing the operation "Send Bale secure message from bot 123" on target "989123456781"*'
            ($child.Lines -join "`n") | Should -Not -BeLike '*the text of a secure message*'
            ($child.Lines -join "`n") | Should -Not -BeLike "*$ApiKey*"
            $child.Lines | Should -Contain 'OUTPUT COUNT 0'
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 0
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }
    }

    Context 'A bad row among good ones' {
        It 'writes exactly one error, carrying that row, and sends every other row' {
            $csv = Write-TestCsv 'bad-row.csv' @(
                'Phone,Message'
                '09123456789,row one'
                '+98 912 345 6780,row two'
                '12345,row three has a bad phone'
                '00989123456782,row four'
                '۰۹۱۲۳۴۵۶۷۸۳,row five'
            )

            $run = Send-Csv $csv

            $run.Errors.Count | Should -Be 1
            $err = $run.Errors[0]
            $err.FullyQualifiedErrorId | Should -BeLike 'PhoneNumberIsNotAnIranianMobileNumber,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject.Phone | Should -Be '12345'
            $err.TargetObject.Message | Should -Be 'row three has a bad phone'
            $err.ErrorDetails.Message | Should -BeLike 'Row 3, PhoneNumber: *'

            ($run.Results.Text -join '|') | Should -Be 'row one|row two|row four|row five'
            ($run.Results.PhoneNumber -join '|') | Should -Be '989123456789|989123456780|989123456782|989123456783'
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 4
            @($deliveries | Where-Object { $_.text -eq 'row three has a bad phone' }).Count | Should -Be 0
        }
    }

    Context 'Output order' {
        It 'writes results in input order with -ThrottleLimit 8 while answers arrive out of order' {
            Set-SandboxLatency $Sandbox 100
            # The first send_message to arrive is processed (delivered) and then answered 1.5 s late, so later rows
            # finish before it; the cmdlet must still write it first.
            Add-SandboxFault $Sandbox -Kind Hang -PathContains 'send_message' -AfterProcessing -DelayMs 1500
            $rows = @(1..24 | ForEach-Object { '0912{0:D7},message {0:D2}' -f $_ })
            $csv = Write-TestCsv 'order.csv' (@('Phone,Message') + $rows)

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $run = Send-Csv $csv @{ ThrottleLimit = 8 }
            $clock.Stop()

            $run.Errors.Count | Should -Be 0
            $run.Results.Count | Should -Be 24
            ($run.Results.Text -join '|') | Should -Be ((1..24 | ForEach-Object { 'message {0:D2}' -f $_ }) -join '|')
            ($run.Results.PhoneNumber -join '|') | Should -Be ((1..24 | ForEach-Object { '98912{0:D7}' -f $_ }) -join '|')
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 24
            # One at a time it would take 24 x 100 ms + 1.5 s = 3.9 s; eight at a time about 1.6 s.
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3.5
        }
    }

    Context 'Safir error codes' {
        # Numbers 98 99999900 CC make the sandbox answer with Safir error code CC (BaleSandbox.ErrorPhonePrefix).
        It 'maps code <Code> to <ErrorId> for that row only' -ForEach @(
            @{ Code = '17'; ErrorId = 'BaleRecipientIsNotABaleUser'; Category = 'ObjectNotFound' }
            @{ Code = '20'; ErrorId = 'BalePaymentIsRequired'; Category = 'QuotaExceeded' }
        ) {
            $csv = Write-TestCsv "code-$Code.csv" @('Phone,Message', '09123456789,this one is fine', "98 99999900 $Code,this one is refused")

            $run = Send-Csv $csv

            $run.Results.Count | Should -Be 1
            $run.Results[0].Text | Should -Be 'this one is fine'
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $run.Errors[0].CategoryInfo.Category | Should -Be $Category
            $run.Errors[0].TargetObject.Phone | Should -Be "98 99999900 $Code"
            $run.Errors[0].ErrorDetails.Message | Should -BeLike 'Row 2*'
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
        }
    }

    Context 'The Secure column' {
        It 'sends rows whose Secure cell is true, yes or 1 as secure messages and the others as plain ones' {
            $csv = Write-TestCsv 'secure.csv' @(
                'Phone,Message,Secure'
                '09120000001,one,true'
                '09120000002,two,yes'
                '09120000003,three,1'
                '09120000004,four,false'
                '09120000005,five,no'
                '09120000006,six,0'
                '09120000007,seven,'
                '09120000008,eight,TRUE'
            )

            $run = Send-Csv $csv

            $run.Errors.Count | Should -Be 0
            ($run.Results.IsSecure -join ',') | Should -Be 'True,True,True,False,False,False,False,True'
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 8
            $secure = @($deliveries | Where-Object { $_.isSecure } | ForEach-Object { $_.phoneNumber } | Sort-Object)
            ($secure -join ',') | Should -Be '989120000001,989120000002,989120000003,989120000008'
        }

        It 'refuses a Secure cell that is not a yes/no value, for that row only' {
            $csv = Write-TestCsv 'secure-bad.csv' @('Phone,Message,Secure', '09120000001,one,maybe', '09120000002,two,true')

            $run = Send-Csv $csv

            $run.Errors.Count | Should -Be 1
            $run.Errors[0].ToString() | Should -BeLike "*'maybe' is not a yes/no value*"
            $run.Results.Count | Should -Be 1
            $run.Results[0].PhoneNumber | Should -Be '989120000002'
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 1
            $deliveries[0].isSecure | Should -BeTrue
        }
    }

    Context 'The API key' {
        It 'never appears in output, verbose, debug, warning or error text' {
            # One 503 first, so that the transport retries and logs the retry.
            Add-SandboxFault $Sandbox -Kind Status -PathContains 'send_message' -Status 503 -Count 1
            $csv = Write-TestCsv 'secret.csv' @(
                'Phone,Message,Secure'
                '09123456789,a plain message,no'
                '12345,a bad phone,no'
                '98 99999900 17,not a Bale user,no'
                '09123456780,a secure message,yes'
            )
            # Debug through the preference variable: -Debug would prompt (Inquire) on Windows PowerShell 5.1.
            $DebugPreference = 'Continue'

            $all = @(Import-Csv -LiteralPath $csv -Encoding UTF8 |
                Send-BaleMessage @Bale -Verbose -ErrorAction Continue *>&1)

            $DebugPreference = 'SilentlyContinue'
            $results = @($all | Where-Object { $_.PSObject.TypeNames -contains 'MessagingTools.Core.Providers.Bale.BaleMessageResult' })
            $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $debug = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
            $results.Count | Should -Be 2
            $errors.Count | Should -Be 2
            $verbose.Count | Should -BeGreaterThan 0
            $debug.Count | Should -BeGreaterThan 0

            $text = ConvertTo-SearchableText $all
            $text | Should -BeLike '*send_message*'       # the logs are really in the text searched
            $text | Should -Not -BeLike "*$ApiKey*"
        }

        It 'never appears when the provider rejects it either' {
            $wrongKey = 'pester-rejected-key-4417'
            $csv = Write-TestCsv 'rejected.csv' @('Phone,Message', '09123456789,one', '09123456780,two')
            $DebugPreference = 'Continue'

            $all = @(Import-Csv -LiteralPath $csv -Encoding UTF8 |
                Send-BaleMessage -BotId 123 -ApiKey $wrongKey -Endpoint $Sandbox.BaleEndpoint -Verbose -ErrorAction Continue *>&1)

            $DebugPreference = 'SilentlyContinue'
            $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 2
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'BaleCredentialsWereRejected,*'
            $errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 0

            $text = ConvertTo-SearchableText $all
            $text | Should -Not -BeLike "*$wrongKey*"
        }
    }
    Context 'Sending the failed rows again: $failed.TargetObject | Send-BaleMessage' {
        # Issue 16: after rows ended "may have been delivered", piping $failed.TargetObject back into Send-BaleMessage
        # delivered each such message twice: the row carried no RequestId, so the resend went out under a new one. The
        # error's TargetObject now carries the RequestId that was used, and Safir delivers it once.
        It 'delivers each message of CSV rows that may have been delivered exactly once' {
            # Four attempts a message (the transport's MaxAttempts), all answered 500 after Safir delivered.
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'send_message' -AfterProcessing -Count 8
            $csv = Write-TestCsv 'retry-rows.csv' @('Phone,Message,Name', '09123456781,first,a', '09123456782,second,b')
            $rows = @(Import-Csv -LiteralPath $csv)
            $failed = $null
            $results = @($rows | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable failed)
            $results.Count | Should -Be 0
            @($failed).Count | Should -Be 2
            foreach ($e in $failed) { $e.Exception.MayHaveTakenEffect | Should -BeTrue }
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 2

            $again = @($failed.TargetObject | Send-BaleMessage @Bale)

            $again.Count | Should -Be 2
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 2 -Because 'each message was delivered once, however often it was sent'
            ($deliveries.phoneNumber | Sort-Object) | Should -Be @('989123456781', '989123456782')
            $again.RequestId | Should -Be @($failed.Exception.RequestId)
            # The row is the user's row with the id added: its own columns, in their order; the input rows are untouched.
            @($failed[0].TargetObject.PSObject.Properties.Name) | Should -Be @('Phone', 'Message', 'Name', 'RequestId')
            $failed[0].TargetObject.Name | Should -Be 'a'
            $rows[0].PSObject.Properties['RequestId'] | Should -BeNullOrEmpty
        }

        It 'fills an empty RequestId column of the row with the id that was used' {
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'send_message' -AfterProcessing -Count 4
            $csv = Write-TestCsv 'retry-empty-id.csv' @('Phone,Message,Request_Id', '09123456781,first,')
            $failed = $null
            $null = Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable failed
            @($failed).Count | Should -Be 1

            @($failed[0].TargetObject.PSObject.Properties.Name) | Should -Be @('Phone', 'Message', 'Request_Id')
            $failed[0].TargetObject.Request_Id | Should -Be $failed[0].Exception.RequestId
            $again = @($failed.TargetObject | Send-BaleMessage @Bale)

            $again.RequestId | Should -Be $failed[0].Exception.RequestId
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
        }

        It 'delivers a message given by parameters exactly once when its error''s TargetObject is piped back' {
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'send_message' -AfterProcessing -Count 4
            $failed = $null
            Send-BaleMessage -PhoneNumber '0912 345 6781' -Text 'by parameters' -CopyText 'code 42' @Bale -ErrorAction SilentlyContinue -ErrorVariable failed
            @($failed).Count | Should -Be 1
            $failed[0].Exception.MayHaveTakenEffect | Should -BeTrue

            $again = @($failed.TargetObject | Send-BaleMessage -ApiKey $ApiKey -Endpoint $Sandbox.BaleEndpoint)

            $again.Count | Should -Be 1
            $again[0].RequestId | Should -Be $failed[0].Exception.RequestId
            $again[0].Text | Should -Be 'by parameters'
            $again[0].CopyText | Should -Be 'code 42'
            $again[0].BotId | Should -Be 123
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 1 -Because 'the message was delivered once, however often it was sent'
            $deliveries[0].phoneNumber | Should -Be '989123456781'
        }
    }
}
