# Pester 5 acceptance tests of Get-ZadarmaDirectNumber against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaDirectNumber' {
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

    It 'lists the phone numbers of the account, typed' {
        $numbers = @(Get-ZadarmaDirectNumber @Zadarma)
        $numbers | Should -HaveCount 2
        $numbers[0].Number | Should -Be '442037691880'
        $numbers[0].MonthlyFee | Should -Be 2.5
        $numbers[0].AutoRenew | Should -BeTrue
        $numbers[0].StopDate | Should -BeOfType [DateTimeOffset]
        $numbers[1].Type | Should -Be 'revenue'
        $numbers[1].IsOnTest | Should -BeTrue
    }

    It 'shows as a table of 80 columns with the end of the paid period' {
        $text = Get-ZadarmaDirectNumber @Zadarma | Out-String -Width 80
        $text | Should -Match '442037691880\s+on\s+United Kingdom\s+100\s+2026-12-15\s+2.5 USD'
    }
}
