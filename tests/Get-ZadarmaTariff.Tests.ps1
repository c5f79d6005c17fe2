# Pester 5 acceptance tests of Get-ZadarmaTariff against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaTariff' {
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

    It 'reads the price plan of the account' {
        $tariff = Get-ZadarmaTariff @Zadarma
        $tariff.TariffName | Should -Be 'Standart, special'
        $tariff.IsActive | Should -BeTrue
        $tariff.UsedSeconds | Should -Be 1643
        $tariff.UsedSecondsMobile | Should -Be 34
        $tariff.Cost | Should -BeOfType [decimal]
        $tariff.NextPeriodTariffId | Should -Be '5'
        (Get-ZadarmaRequestLog '/v1/tariff/').method | Should -Be 'GET'
    }

    It 'shows as a table of 80 columns' {
        $text = Get-ZadarmaTariff @Zadarma | Out-String -Width 80
        $text | Should -Match 'TariffName\s+IsActive\s+Cost\s+Currency\s+UsedSeconds\s+NextPeriodTariffName'
        $text | Should -Match 'Standart, special\s+True'
    }

    It 'fails with a wrong secret, as Zadarma refuses a signature it cannot check' {
        $credential = New-Object System.Management.Automation.PSCredential ($Sandbox.ZadarmaApiKey, (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        $failed = $null
        Get-ZadarmaTariff -Credential $credential -Endpoint $Zadarma.Endpoint -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].Exception.HttpStatus | Should -Be 401
    }
}
