# Pester 5 acceptance tests of Get-ZadarmaNumberInfo against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaNumberInfo' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Get-ZadarmaRequestLog([string]$PathEnd) {
            @(Get-SandboxRequest $Sandbox) | Where-Object { $_.path.EndsWith($PathEnd) }
        }

        # The form body as sent.
        function Get-ZadarmaRequestBody([string]$PathEnd) {
            @(Get-ZadarmaRequestLog $PathEnd) | ForEach-Object { [string]$_.body }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'looks one number up and reads its network' {
        $info = Get-ZadarmaNumberInfo -Number '+7 900 123-45-67' @Zadarma
        $info.Number | Should -Be '79001234567'
        $info.Country | Should -Be 'Russia'
        $info.Network | Should -Be 'MTS'
        $info.Mcc | Should -Be '250'
        $info.Ported | Should -BeFalse
        (Get-ZadarmaRequestBody '/v1/info/number_lookup/') | Should -Be 'numbers=79001234567'
    }

    It 'looks many rows up in one request, one result per row in input order' {
        $rows = "Phone,Name`n79001234567,Ann`n442037691880,Bob`n989121230000,Cyrus`n37125123459,Dace" | ConvertFrom-Csv
        $results = @($rows | Get-ZadarmaNumberInfo @Zadarma)
        $results.Number | Should -Be @('79001234567', '442037691880', '989121230000', '37125123459')
        $results.Country | Should -Be @('Russia', 'United Kingdom', 'Iran', 'Latvia')
        $results[2].Error | Should -Be 'Absent Subscriber'
        $results[3].Ported | Should -BeTrue
        $results.Row | Should -Be @(1, 2, 3, 4)
        $lookups = @(Invoke-SandboxControl $Sandbox 'zadarma/lookups' -Method GET)
        $lookups | Should -HaveCount 1
        $lookups[0].numbers | Should -Be @('79001234567', '442037691880', '989121230000', '37125123459')
        (Get-ZadarmaRequestBody '/v1/info/number_lookup/') | Should -Match '^numbers%5B0%5D=79001234567&numbers%5B1%5D=442037691880&'
    }

    It 'sends -BatchSize numbers a request' {
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ Number = "7900123456$_" } }
        @($rows | Get-ZadarmaNumberInfo -BatchSize 2 @Zadarma) | Should -HaveCount 5
        @(Invoke-SandboxControl $Sandbox 'zadarma/lookups' -Method GET).numbers.Count | Should -Be 5
        @(Invoke-SandboxControl $Sandbox 'zadarma/lookups' -Method GET) | Should -HaveCount 3
    }

    It 'gives a row that is not a number its own error, and looks the others up' {
        $rows = "Phone`n79001234567`nnot a number`n442037691880" | ConvertFrom-Csv
        $failed = $null
        $results = @($rows | Get-ZadarmaNumberInfo @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $results.Number | Should -Be @('79001234567', '442037691880')
        $failed | Should -HaveCount 1
        $failed[0].TargetObject.Phone | Should -Be 'not a number'
        "$($failed[0])" | Should -Match 'row 2'
    }

    It 'marks numbers whose results Zadarma sends elsewhere as submitted' {
        Invoke-SandboxControl $Sandbox 'zadarma/numberlookup' -Body @{ mode = 'acknowledge' } | Out-Null
        $warnings = $null
        $results = @(Get-ZadarmaNumberInfo -Number 79001234567, 442037691880 @Zadarma -WarningVariable warnings -WarningAction SilentlyContinue)
        $results.Status | Should -Be @('submitted', 'submitted')
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'BatchSize 1'
        $single = @(Get-ZadarmaNumberInfo -Number 79001234567, 442037691880 -BatchSize 1 @Zadarma)
        $single.Country | Should -Be @('Russia', 'United Kingdom')
        $results.Country | Should -Be @($null, $null)
    }

    It 'never repeats a lookup that may have reached Zadarma, and every row gets the error' {
        Invoke-SandboxControl $Sandbox 'faults' -Body @{ kind = 'Status'; pathContains = 'number_lookup'; status = 502; count = 3; afterProcessing = $true } | Out-Null
        $failed = $null
        $results = @('79001234567', '442037691880' | ForEach-Object { [pscustomobject]@{ Phone = $_ } } |
            Get-ZadarmaNumberInfo @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $results | Should -HaveCount 0
        $failed | Should -HaveCount 2
        $failed | ForEach-Object { $_.Exception.MayHaveTakenEffect | Should -BeTrue }
        @(Get-ZadarmaRequestLog '/v1/info/number_lookup/') | Should -HaveCount 1
    }

    It 'looks nothing up with -WhatIf' {
        Get-ZadarmaNumberInfo -Number 79001234567 @Zadarma -WhatIf
        Get-ZadarmaRequestLog '/v1/info/number_lookup/' | Should -BeNullOrEmpty
    }
}
