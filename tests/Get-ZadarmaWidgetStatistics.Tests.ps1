# Pester 5 acceptance tests of Get-ZadarmaWidgetStatistics against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaWidgetStatistics' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Get-ZadarmaRequestLog([string]$PathEnd) {
            @(Get-SandboxRequest $Sandbox) | Where-Object { $_.path.EndsWith($PathEnd) }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'reads the widget sessions of a period' {
        $sessions = @(Get-ZadarmaWidgetStatistics -Start '2026-11-01' -End '2026-11-30' -UtcOffset 0 @Zadarma)
        $sessions | Should -HaveCount 3
        $sessions[0].Number | Should -Be '442037691890'
        $sessions[0].CallRequested | Should -BeTrue
        $sessions[0].Actions.Kind | Should -Be @('come', 'show', 'call')
        $sessions[1].CallRequested | Should -BeFalse
        $request = Get-ZadarmaRequestLog '/v1/statistics/callback_widget/'
        $request.query | Should -Be '?end=2026-11-30+23%3A59%3A59&start=2026-11-01+00%3A00%3A00'
    }

    It 'reads one widget' {
        $sessions = @(Get-ZadarmaWidgetStatistics -Start '2026-11-01' -End '2026-11-30' -WidgetId 2 -UtcOffset 0 @Zadarma)
        $sessions.Id | Should -Be @('57d16d6a1e46c53d1f8ce324')
    }

    It 'asks a period over a month in pieces, each waiting for the statistics limit instead of running into it' {
        Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ statisticsLimit = 1; windowSeconds = 2 } | Out-Null
        $sessions = @(Get-ZadarmaWidgetStatistics -Start '2026-09-01' -End '2026-11-30' -UtcOffset 0 @Zadarma)
        $sessions | Should -HaveCount 3
        # Four pieces of at most 30 days, one request each: a 429 would have been a fifth.
        @(Get-ZadarmaRequestLog '/v1/statistics/callback_widget/') | Should -HaveCount 4
    }

    It 'shows as a table of 80 columns' {
        $text = Get-ZadarmaWidgetStatistics -Start '2026-11-01' -End '2026-11-30' -UtcOffset 0 @Zadarma | Out-String -Width 80
        $text | Should -Match '2026-11-03 10:00\s+1\s+100\s+203.0.113.10\s+442037691890\s+True'
    }
}
