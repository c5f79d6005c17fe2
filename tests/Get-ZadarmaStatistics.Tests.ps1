# Pester 5 acceptance tests of Get-ZadarmaStatistics against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaStatistics' {
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
        # Statistics have their own limit (3 a window); a one-second window keeps the paging fast.
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100; statisticsLimit = 3; windowSeconds = 1 }
        $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 2500; start = '2026-09-01 00:00:00'; end = '2026-11-14 23:59:59' }
    }

    It 'shows the wait for the statistics limit in its progress and in a verbose line (issue 18, item 7)' {
        # Seen: 32 to 100 s passed with the progress at "0 of 1" while statistics waited for their limit (3 a minute).
        # Here: one statistics request per 4-second window, and a period of two months (two requests, or more pages).
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100; statisticsLimit = 1; windowSeconds = 4 }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($Module, $Zadarma) Import-Module -Name $Module; Get-ZadarmaStatistics -Start 2026-09-01 -End 2026-10-31 @Zadarma -Verbose -UtcOffset 00:00')
            $null = $ps.AddParameter('Module', (Get-BuiltModulePath)).AddParameter('Zadarma', $Zadarma)
            $calls = @($ps.Invoke())
            $ps.Streams.Error.Count | Should -Be 0
            $calls.Count | Should -BeGreaterThan 0
            $waits = @($ps.Streams.Progress | Where-Object { $_.StatusDescription -match ", waiting \d+ s for Zadarma's statistics limit$" })
            $waits.Count | Should -BeGreaterThan 0 -Because (($ps.Streams.Progress | ForEach-Object StatusDescription) -join "`n")
            @($ps.Streams.Verbose | Where-Object { $_.Message -match "^Waiting \d+(\.\d)? s for Zadarma's statistics limit\.$" }).Count | Should -BeGreaterThan 0
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'returns every call of a period longer than a month' {
        $calls = @(Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' @Zadarma)
        $calls | Should -HaveCount 2500
        @($calls.Id | Select-Object -Unique) | Should -HaveCount 2500
        $calls[0].CallStart | Should -BeOfType [DateTimeOffset]
        $calls[0].BillCost | Should -BeOfType [decimal]
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/statistics/' }).Count | Should -BeGreaterThan 3
    }

    It 'reads what the calls cost with -CostOnly, one summary added up over the pieces' {
        $calls = @(Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' @Zadarma)
        $summary = @(Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' -CostOnly @Zadarma)
        $summary | Should -HaveCount 1
        $summary[0].GetType().Name | Should -Be 'ZadarmaCostSummary'
        # Added up as decimal (Measure-Object would add doubles).
        $cost = [decimal]0; $seconds = 0
        foreach ($call in $calls) { $cost += $call.BillCost; $seconds += $call.BillSeconds }
        $summary[0].Cost | Should -BeOfType [decimal]
        $summary[0].Cost | Should -Be $cost
        $summary[0].Seconds | Should -Be $seconds
        $costRequests = @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/statistics/' -and $_.query -like '*cost_only=1*' })
        $costRequests | Should -HaveCount 3    # 75 days: three 30-day pieces, no pages
        ($summary | Format-Table | Out-String) | Should -Match 'USD'
    }

    It 'sends -Type as Zadarma names it and completes its values' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 5; start = '2026-10-01 00:00:00'; end = '2026-10-02 00:00:00'; to = '8001234' }
        $calls = @(Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-10-02' -Type TollFree @Zadarma)
        $calls | Should -HaveCount 5
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/statistics/' })[-1].query | Should -Match 'type=toll-free'
        $completions = [System.Management.Automation.CommandCompletion]::CompleteInput('Get-ZadarmaStatistics -Type T', 29, $null)
        @($completions.CompletionMatches | ForEach-Object { $_.CompletionText }) | Should -Be @('Toll', 'TollFree')
    }

    It 'reads the account time zone once and each end of a period across a daylight-saving change at its own offset' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/timezone' -Body @{ name = 'Europe/Berlin' }
        $calls = @(Get-ZadarmaStatistics -Start '2026-10-20' -End '2026-10-30' @Zadarma)
        $calls | Should -Not -BeNullOrEmpty
        @($calls | Where-Object { $_.CallStart.DateTime -lt [datetime]'2026-10-25 02:00' } | ForEach-Object { $_.CallStart.Offset.TotalHours } | Select-Object -Unique) | Should -Be @(2)
        @($calls | Where-Object { $_.CallStart.DateTime -gt [datetime]'2026-10-25 04:00' } | ForEach-Object { $_.CallStart.Offset.TotalHours } | Select-Object -Unique) | Should -Be @(1)
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/info/timezone/' }) | Should -HaveCount 1
        $query = @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/statistics/' })[0].query
        $query | Should -Match 'start=2026-10-20\+00%3A00%3A00'
        $query | Should -Match 'end=2026-10-30\+23%3A59%3A59'
    }

    It 'uses -UtcOffset as given and reads no zone' {
        $null = Get-ZadarmaStatistics -Start '2026-10-20' -End '2026-10-30' -UtcOffset 02:00 @Zadarma
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/info/timezone/' }) | Should -HaveCount 0
    }

    It 'filters by SIP' {
        $calls = @(Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' -Sip 100 @Zadarma)
        $calls | Should -HaveCount 1250
        @($calls.Sip | Select-Object -Unique) | Should -Be @('100')
    }
}
