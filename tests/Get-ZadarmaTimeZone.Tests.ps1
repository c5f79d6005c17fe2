# Pester 5 acceptance tests of Get-ZadarmaTimeZone against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaTimeZone' {
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

    It 'returns the zone Zadarma names, as a fixed offset' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/timezone' -Body @{ name = 'UTC+3' }
        $zone = Get-ZadarmaTimeZone @Zadarma
        $zone.Name | Should -Be 'UTC+3'
        $zone.UtcOffset | Should -Be ([TimeSpan]::FromHours(3))
        $zone.ObservesDaylightSaving | Should -BeFalse
        $zone.OffsetOnly | Should -BeFalse
        $zone.CurrentTime.Offset | Should -Be ([TimeSpan]::FromHours(3))
        ($zone | Format-Table | Out-String) | Should -Match 'UTC\+3\s+\+03:00'
    }

    It 'keeps the daylight-saving rules of a zone name' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/timezone' -Body @{ name = 'Europe/Berlin' }
        $zone = Get-ZadarmaTimeZone @Zadarma
        $zone.ObservesDaylightSaving | Should -BeTrue
        $zone.OffsetOnly | Should -BeFalse
    }

    It 'says when only the current offset is known' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/timezone' -Body @{ name = 'Mars/Olympus'; clockOffset = '05:30' }
        $zone = Get-ZadarmaTimeZone @Zadarma
        $zone.OffsetOnly | Should -BeTrue
        $zone.UtcOffset | Should -Be ([TimeSpan]::FromMinutes(330))
    }
}
