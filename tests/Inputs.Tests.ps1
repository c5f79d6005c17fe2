# Pester 5 acceptance tests of input handling (issue 11) through the cmdlets, against the sandbox over real HTTP:
# every thing a call names is its own outcome, input that cannot be sent is refused before any request with an
# error naming its field (and row), and one rule refuses texts that are not valid Unicode for every provider.
# Run with ./build.ps1 -Task Pester. ASCII only: lone surrogates are made with [char].
# Behaviours and names come from src/MessagingTools/Commands/AsyncPipelineCmdlet.cs (CreateItems),
# src/MessagingTools.Core/Text/UnicodeText.cs, src/MessagingTools.Core/Providers/*/ and
# src/MessagingTools.Core/Providers/Zadarma/ZadarmaStatisticsPeriod.cs.

Describe 'Input handling' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Bale = @{ ApiKey = $Sandbox.BaleApiKey; Endpoint = $Sandbox.BaleEndpoint }
        $FeedbotSend = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotEndpoint }
        $FeedbotStatus = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotStatusEndpoint }
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    Context 'each thing a call names is its own outcome (item 9)' {
        It 'Publish-BaleFile -Path good.txt, missing.txt uploads good.txt and gives one error naming missing.txt and Path' {
            $dir = Join-Path $TestDrive 'paths'
            $null = New-Item -ItemType Directory -Path $dir
            Set-Content -LiteralPath (Join-Path $dir 'good.txt') -Value 'a good file' -Encoding UTF8
            $failed = $null
            Push-Location -LiteralPath $dir
            try {
                $files = @(Publish-BaleFile -Path good.txt, missing.txt @Bale -ErrorAction SilentlyContinue -ErrorVariable failed)
            }
            finally {
                Pop-Location
            }

            $files.Count | Should -Be 1
            $files[0].Name | Should -Be 'good.txt'
            @(Get-SandboxBaleUpload $Sandbox).Count | Should -Be 1
            @($failed).Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'FileWasNotFound,*'
            $failed[0].Exception.Field | Should -Be 'Path'
            $failed[0].ErrorDetails.Message | Should -BeLike 'Path: *missing.txt*'
            $failed[0].TargetObject | Should -Be 'missing.txt'
        }

        It 'Get-FeedbotStatus -Id fb1, blank, fb2 reads both ids and gives one error naming Id and the blank one''s position' {
            $null = Invoke-SandboxControl $Sandbox 'feedbot/status-delay/0'
            $sent = @(Send-FeedbotMessage 972586666641 'one' @FeedbotSend) + @(Send-FeedbotMessage 972586666642 'two' @FeedbotSend)
            $failed = $null
            $statuses = @(Get-FeedbotStatus -Id $sent[0].Id, '  ', $sent[1].Id @FeedbotStatus -ErrorAction SilentlyContinue -ErrorVariable failed)

            $statuses.Count | Should -Be 2
            $statuses.Id | Should -Be @($sent[0].Id, $sent[1].Id)
            @($failed).Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'FeedbotMessageIdIsMissing,*'
            $failed[0].Exception.Field | Should -Be 'Id'
            $failed[0].ErrorDetails.Message | Should -BeLike 'Id: *position 2 of 3*'
        }
    }

    Context 'numbers and texts that cannot be sent are refused before sending (item 11)' {
        It 'Get-ZadarmaPrice refuses an 18-digit number as that row''s error, with the at-most-15 message' {
            $failed = $null
            $prices = @('+44 20 3769 1880', '123456789012345678' | Get-ZadarmaPrice @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)

            $prices.Count | Should -Be 1
            $prices[0].Number | Should -Be '442037691880'
            @($failed).Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNumberIsInvalid,*'
            [string]$failed[0].TargetObject | Should -Be '123456789012345678'
            $failed[0].ErrorDetails.Message | Should -BeLike "Row 2, Number: *has 18 digits; a phone number has at most 15*"
            # Only the good number was priced.
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 1
        }

        It 'refuses a text with a lone surrogate as TextIsNotValidUnicode naming the row and field, for Zadarma SMS, Bale and FeedBot alike' {
            $lone = 'Code' + [char]0xD800 + 'x'
            $smsFailed = $null
            $sms = @(
                [pscustomobject]@{ Phone = '79001234567'; Message = 'fine' },
                [pscustomobject]@{ Phone = '79001234568'; Message = $lone } |
                    Send-ZadarmaSms @Zadarma -ErrorAction SilentlyContinue -ErrorVariable smsFailed)
            $baleFailed = $null
            $bale = @(
                [pscustomobject]@{ Phone = '09123456789'; Message = 'fine' },
                [pscustomobject]@{ Phone = '09123456788'; Message = $lone },
                [pscustomobject]@{ Phone = '09123456787'; CopyText = $lone } |
                    Send-BaleMessage -BotId 123 @Bale -ErrorAction SilentlyContinue -ErrorVariable baleFailed)
            $feedbotFailed = $null
            $feedbot = @(
                [pscustomobject]@{ Phone = '972586666641'; Message = 'fine' },
                [pscustomobject]@{ Phone = '972586666642'; Message = $lone } |
                    Send-FeedbotMessage @FeedbotSend -ErrorAction SilentlyContinue -ErrorVariable feedbotFailed)

            $sms.Count | Should -Be 1
            $bale.Count | Should -Be 1
            $feedbot.Count | Should -Be 1
            $errors = @($smsFailed) + @($baleFailed) + @($feedbotFailed)
            $errors.Count | Should -Be 4
            foreach ($e in $errors) {
                $e.FullyQualifiedErrorId | Should -BeLike 'TextIsNotValidUnicode,*'
                [string]$e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            }
            $smsFailed[0].ErrorDetails.Message | Should -BeLike 'Row 2, Message: The text holds a lone surrogate (half of a character) at position 5 *'
            $smsFailed[0].TargetObject.Message | Should -Be $lone
            $baleFailed[0].ErrorDetails.Message | Should -BeLike 'Row 2, Text: The text holds a lone surrogate (half of a character) at position 5 *'
            $baleFailed[1].ErrorDetails.Message | Should -BeLike 'Row 3, CopyText: The text holds a lone surrogate (half of a character) at position 5 *'
            $feedbotFailed[0].ErrorDetails.Message | Should -BeLike 'Row 2, Message: The text holds a lone surrogate (half of a character) at position 5 *'
            # Only the good rows reached the providers, and nothing arrived with U+FFFD in place of the half character.
            @(Invoke-SandboxControl $Sandbox 'zadarma/sms').Count | Should -Be 1
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 1
            $queued = @(Invoke-SandboxControl $Sandbox 'feedbot/queued' -Method GET)
            $queued.Count | Should -Be 1
            $queued[0].message | Should -Be 'fine'
        }
    }

    Context 'errors name their field, before any request (item 12)' {
        It 'Publish-BaleFile refuses /dev/zero and /proc/self/status as not regular files naming Path, and uploads the good file' -Skip:(-not $IsLinux) {
            $good = Join-Path $TestDrive 'good.txt'
            Set-Content -LiteralPath $good -Value 'a good file' -Encoding UTF8
            $failed = $null
            $files = @(Publish-BaleFile -LiteralPath '/dev/zero', '/proc/self/status', $good @Bale -TimeoutSec 10 -ErrorAction SilentlyContinue -ErrorVariable failed)

            $files.Count | Should -Be 1
            $files[0].Name | Should -Be 'good.txt'
            @($failed).Count | Should -Be 2
            foreach ($e in $failed) {
                $e.FullyQualifiedErrorId | Should -BeLike 'FileIsNotARegularFile,*'
                [string]$e.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $e.Exception.Field | Should -Be 'Path'
            }
            $failed[0].ErrorDetails.Message | Should -BeLike "Path: '/dev/zero' is not a regular file*Nothing was sent."
            $failed[1].ErrorDetails.Message | Should -BeLike "Path: '/proc/self/status' is not a regular file*Nothing was sent."
            # The one request is the good file's upload.
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 1
        }

        It 'Get-FeedbotStatus names Id in the error of an id FeedBot does not know (FeedbotMessageWasNotFound)' {
            $null = Invoke-SandboxControl $Sandbox 'feedbot/status-delay/0'
            $sent = Send-FeedbotMessage 972586666641 'one' @FeedbotSend
            $csv = Write-TestCsv 'ids.csv' @('Id', $sent.Id, 'no-such-id')
            $failed = $null
            $statuses = @(Import-Csv -LiteralPath $csv | Get-FeedbotStatus @FeedbotStatus -ErrorAction SilentlyContinue -ErrorVariable failed)

            $statuses.Count | Should -Be 1
            @($failed).Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'FeedbotMessageWasNotFound,*'
            [string]$failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failed[0].Exception.Field | Should -Be 'Id'
            $failed[0].ErrorDetails.Message | Should -BeLike "Row 2, Id: *Id 'no-such-id'*"
            $failed[0].TargetObject.Id | Should -Be 'no-such-id'
        }

        It 'Get-ZadarmaStatistics names -Start or -End when a date cannot be used (0001-01-01 at UTC+3, 9999-12-31), before any statistics request' {
            $startFailed = $null
            $startCalls = @(Get-ZadarmaStatistics -Start 0001-01-01 -UtcOffset 03:00 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable startFailed)
            $endFailed = $null
            $endCalls = @(Get-ZadarmaStatistics -End 9999-12-31 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable endFailed)

            $startCalls.Count | Should -Be 0
            @($startFailed).Count | Should -Be 1
            $startFailed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaDateIsOutOfRange,*'
            $startFailed[0].Exception.Field | Should -Be 'Start'
            $startFailed[0].ErrorDetails.Message | Should -BeLike 'Start: -Start 0001-01-01 00:00:00 *'
            $endCalls.Count | Should -Be 0
            @($endFailed).Count | Should -Be 1
            [string]$endFailed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $endFailed[0].Exception.Field | Should -Be 'End'
            $endFailed[0].ErrorDetails.Message | Should -BeLike 'End: *-End 9999-12-31 23:59:59*'
            # Without -UtcOffset the account's zone is read first (one /v1/info/timezone/ request); nothing else is sent.
            @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -notlike '*/v1/info/timezone/' }).Count | Should -Be 0
        }

        It 'Get-ZadarmaStatistics -Start 1990-01-01 is refused as too long, saying how many requests it would take, unless -Force is given' {
            # A high statistics limit keeps any request that is made quick (the refusal itself makes none).
            $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 1000; statisticsLimit = 1000; windowSeconds = 60 }
            $failed = $null
            $calls = @(Get-ZadarmaStatistics -Start 1990-01-01 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
            $pbxFailed = $null
            $pbxCalls = @(Get-ZadarmaPbxStatistics -Start 1990-01-01 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable pbxFailed)

            $calls.Count | Should -Be 0
            @($failed).Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaPeriodIsTooLong,*'
            [string]$failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failed[0].Exception.Field | Should -Be 'Start'
            $failed[0].ErrorDetails.Message | Should -BeLike 'Start: *-Start 1990-01-01 00:00:00*-End *statistics requests*minutes*12 months*-Force*'
            $pbxCalls.Count | Should -Be 0
            @($pbxFailed).Count | Should -Be 1
            $pbxFailed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaPeriodIsTooLong,*'
            # Without -UtcOffset the account's zone is read first (one /v1/info/timezone/ request each); nothing else is sent.
            @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -notlike '*/v1/info/timezone/' }).Count | Should -Be 0

            # -Force reads a period of 14 months: 15 pieces of 30 days, one request each (no calls in the sandbox).
            $forced = $null
            $start = (Get-Date).Date.AddMonths(-14)
            $null = @(Get-ZadarmaStatistics -Start $start -Force @Zadarma -ErrorVariable forced)
            @($forced).Count | Should -Be 0
            @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/statistics/*' }).Count | Should -BeGreaterOrEqual 15
        }

        It 'Get-Help shows the -Force parameter of the statistics cmdlets' {
            foreach ($name in 'Get-ZadarmaStatistics', 'Get-ZadarmaPbxStatistics') {
                $help = Get-Help $name -Parameter Force
                ($help.description | Out-String) | Should -BeLike '*12 months*'
                [string]$help.type.name | Should -BeLike '*SwitchParameter*'
            }
        }
    }

    Context 'rows whose columns hold numbers, not text ([pscustomobject] rows, Import-Excel)' {
        # PowerShell binds such a row by value, converted to text ('@{Extension=100}'), before it binds the column by
        # property name with conversion: the parameter that also takes the pipeline object by value got the whole row.
        It '<Name> takes the column''s number, not the row''s text' -TestCases @(
            @{ Name = 'Get-ZadarmaPbxRedirection'; Call = { [pscustomobject]@{ Extension = 100 } | Get-ZadarmaPbxRedirection @Zadarma }; Expect = { param($r) $r.Extension | Should -Be '100' } }
            @{ Name = 'Set-ZadarmaPbxRedirection -WhatIf'; Call = { [pscustomobject]@{ Extension = 101; Phone = 79261234567 } | Set-ZadarmaPbxRedirection @Zadarma -WhatIf }; Expect = $null }
            @{ Name = 'Get-ZadarmaPrice'; Call = { [pscustomobject]@{ Number = 79261234567 } | Get-ZadarmaPrice @Zadarma }; Expect = { param($r) $r.Number | Should -Be '79261234567' } }
            @{ Name = 'Send-BaleMessage'; Call = { [pscustomobject]@{ PhoneNumber = 989121234567; Text = 'a number column' } | Send-BaleMessage -BotId 123 @Bale }; Expect = { param($r) $r.Recipient | Should -Be '989121234567' } }
            @{ Name = 'Send-BaleMessage, a double (Import-Excel)'; Call = { [pscustomobject]@{ PhoneNumber = [double]989121234567; Text = 'a number column' } | Send-BaleMessage -BotId 123 @Bale }; Expect = { param($r) $r.Recipient | Should -Be '989121234567' } }
            @{ Name = 'Send-FlashCall'; Call = { [pscustomobject]@{ Destination = 989121234567 } | Send-FlashCall -Token $Sandbox.FlashCallToken -Endpoint $Sandbox.FlashCallEndpoint }; Expect = { param($r) $r.Recipient | Should -Match '9121234567$' } }
            @{ Name = 'Send-ZadarmaSms'; Call = { [pscustomobject]@{ Number = 989121234567; Message = 'a number column' } | Send-ZadarmaSms @Zadarma }; Expect = { param($r) $r.Recipient | Should -Be '989121234567' } }
            @{ Name = 'Send-FeedbotMessage'; Call = { [pscustomobject]@{ PhoneNumber = 972586666644; Message = 'a number column' } | Send-FeedbotMessage @FeedbotSend }; Expect = { param($r) $r.Recipient | Should -Be '972586666644' } }
        ) {
            param($Name, $Call, $Expect)
            $all = @(& $Call 2>&1)
            @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.ToString() }) | Should -BeNullOrEmpty
            $results = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            if ($Expect) {
                $results.Count | Should -Be 1
                & $Expect $results[0]
            }
        }
    }

    Context 'the same across providers (issue 19, item 6)' {
        It '<Name> takes several recipients on the command line: one result each, a bad one its own error naming it' -TestCases @(
            @{ Name = 'Send-BaleMessage'; Call = { Send-BaleMessage -PhoneNumber 09121234567, 12345, 09121234568 -Text 'to three' -BotId 123 @Bale -ErrorVariable failed -ErrorAction SilentlyContinue } }
            @{ Name = 'Send-BaleMessage, piped'; Call = { '09121234567', '12345', '09121234568' | Send-BaleMessage -Text 'to three' -BotId 123 @Bale -ErrorVariable failed -ErrorAction SilentlyContinue } }
            @{ Name = 'Send-FlashCall'; Call = { Send-FlashCall -Destination 09121234567, 12345, 09121234568 -Token $Sandbox.FlashCallToken -Endpoint $Sandbox.FlashCallEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue } }
            @{ Name = 'Send-FeedbotMessage'; Call = { Send-FeedbotMessage -PhoneNumber 972586666644, 12, 972586666645 -Message 'to three' @FeedbotSend -ErrorVariable failed -ErrorAction SilentlyContinue } }
            @{ Name = 'Send-ZadarmaSms'; Call = { Send-ZadarmaSms -Number 989121234567, 'x1', 989121234568 -Message 'to three' @Zadarma -ErrorVariable failed -ErrorAction SilentlyContinue } }
        ) {
            param($Name, $Call)
            $results = @(. $Call)
            $results.Count | Should -Be 2
            $results[0].Recipient | Should -Match '(4567|6644)$'
            $results[1].Recipient | Should -Match '(4568|6645)$'
            $failed.Count | Should -Be 1
            $failed[0].TargetObject | Should -Match '^(12345|12|x1)$'
        }

        It 'every result of a sender carries its recipient as Recipient, so one Select-Object serves every provider' {
            $all = @(
                Send-BaleMessage -PhoneNumber 09121234567 -Text 'hi' -BotId 123 @Bale
                Send-FlashCall -Destination 09121234567 -Token $Sandbox.FlashCallToken -Endpoint $Sandbox.FlashCallEndpoint
                Send-FeedbotMessage -PhoneNumber 972586666644 -Message 'hi' @FeedbotSend
                Send-ZadarmaSms -Number 989121234567 -Message 'hi' @Zadarma
                Invoke-ZadarmaCallback -From 100 -To 989121234567 @Zadarma
            )
            $all.Count | Should -Be 5
            $csv = Join-Path $TestDrive 'recipients.csv'
            $all | Select-Object Recipient | Export-Csv -LiteralPath $csv -NoTypeInformation
            @(Import-Csv -LiteralPath $csv).Recipient | Should -Be @('989121234567', '09121234567', '972586666644', '989121234567', '989121234567')
        }
    }
}
