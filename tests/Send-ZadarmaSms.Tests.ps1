# Pester 5 acceptance tests of Send-ZadarmaSms against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).
# This file holds Russian text: it is saved as UTF-8 WITH a BOM, which Windows PowerShell 5.1 needs to read it.

Describe 'Send-ZadarmaSms' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget callbacks, SMS, settings, calls, requests and faults; limits back to Zadarma's defaults.
        Reset-TestSandbox $Sandbox
    }

    It 'refuses a number without a country code, naming the row, unless -DefaultCountryCode is given (issue 18, item 6)' {
        # Seen: Send-ZadarmaSms -Number 09121234567 sent the number unchanged.
        $rows = @([pscustomobject]@{ Phone = '0912 345 6789'; Text = 'local' }, [pscustomobject]@{ Phone = '+98 912 345 6780'; Text = 'international' })
        $sent = @($rows | Send-ZadarmaSms @Zadarma -ErrorVariable failed -ErrorAction SilentlyContinue)
        $sent.Count | Should -Be 1
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNumberHasNoCountryCode,*'
        $failed[0].TargetObject | Should -Be $rows[0]
        $failed[0].ErrorDetails.Message + $failed[0].Exception.Message | Should -Match 'Row 1'
        @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET | ForEach-Object { $_.number }) | Should -Be @('989123456780')

        $null = $rows | Send-ZadarmaSms -DefaultCountryCode 98 @Zadarma
        @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET | ForEach-Object { $_.number } | Sort-Object) | Should -Be @('989123456780', '989123456780', '989123456789')
    }

    It 'reaches the right numbers when the rows Bale refused as not Bale users are piped to it (the fallback the Bale error suggests)' {
        $bale = @{ BotId = 123; ApiKey = $Sandbox.BaleApiKey; Endpoint = $Sandbox.BaleEndpoint }
        # The sandbox's Safir answers error 17 (not a Bale user) for 98 99999900 17.
        $rows = @(
            [pscustomobject]@{ Phone = '0912 345 6789'; Text = 'Your code is 48213' }
            [pscustomobject]@{ Phone = '0999 999 0017'; Text = 'Your code is 48213' }
            [pscustomobject]@{ Phone = '0999 999 0017'; Text = 'Your code is 77777' }
        )
        $null = $rows | Send-BaleMessage @bale -ErrorVariable failed -ErrorAction SilentlyContinue
        $notOnBale = @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'BaleRecipientIsNotABaleUser*' })
        $notOnBale.Count | Should -Be 2
        $sms = @($notOnBale.TargetObject | Send-ZadarmaSms -DefaultCountryCode 98 @Zadarma)
        $sms.Count | Should -Be 2
        $received = @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET)
        @($received | ForEach-Object { $_.number }) | Should -Be @('989999990017', '989999990017')
        @($received | ForEach-Object { $_.message } | Sort-Object) | Should -Be @('Your code is 48213', 'Your code is 77777')   # sent at the same time: any order
    }

    It 'sends one SMS per CSV row with the text intact, and reports the empty one' {
        $csv = Join-Path $TestDrive 'sms.csv'
        Set-Content -LiteralPath $csv -Encoding UTF8 -Value @(
            'Phone,Text'
            '79001234567,Привет! Код: 1234'
            '79001234568,'
        )
        $failed = $null
        $sent = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-ZadarmaSms @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $sent | Should -HaveCount 1
        $sent[0].Cost | Should -BeOfType [decimal]
        @($failed) | Should -HaveCount 1
        $messages = @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET)
        $messages | Should -HaveCount 1
        $messages[0].message | Should -Be 'Привет! Код: 1234'
    }

    It 'sends to several numbers, each with its own result or error, nothing lost' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/deny' -Body @{ numbers = @('79001234568'); message = 'The number is in the stop list' }
        $failed = $null
        $sent = @(Send-ZadarmaSms -Number 79001234567, 79001234568, 'x1', 442037691880 -Message 'Closed today' @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        @($sent | ForEach-Object { $_.Number }) | Should -Be @('79001234567', '442037691880')
        @($failed) | Should -HaveCount 2
        @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'ZadarmaSmsWasDenied,*' }).TargetObject | Should -Be '79001234568'
        @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'ZadarmaNumberIsInvalid,*' }).TargetObject | Should -Be 'x1'
        # Sent concurrently: the sandbox sees them in any order; the output above keeps the order given.
        @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET | ForEach-Object { $_.number } | Sort-Object) | Should -Be @('442037691880', '79001234567')
    }

    It 'takes one number from a CSV cell' {
        $csv = Join-Path $TestDrive 'one-each.csv'
        Set-Content -LiteralPath $csv -Encoding UTF8 -Value @(
            'Phone,Text'
            '79001234567,first'
            '"79001234568, 79001234569",second'
        )
        $failed = $null
        $sent = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-ZadarmaSms @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $sent | Should -HaveCount 1
        @($failed) | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNumberIsInvalid,*'
        $failed[0].ErrorDetails.Message | Should -Match 'Row 2'
    }

    It 'sends nothing with -WhatIf' {
        Send-ZadarmaSms -Number 79001234567 -Message 'hi' @Zadarma -WhatIf
        @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET) | Should -HaveCount 0
    }

    It 'does not repeat an SMS whose answer was a server error' {
        Add-SandboxFault $Sandbox -Kind Status -Status 502 -PathContains '/v1/sms/send/' -Count 3 -AfterProcessing
        $failed = $null
        Send-ZadarmaSms -Number 79001234567 -Message 'hi' @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].ErrorDetails.Message | Should -Match 'may have been sent'
        @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET) | Should -HaveCount 1
    }
}
