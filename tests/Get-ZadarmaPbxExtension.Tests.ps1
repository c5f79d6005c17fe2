# Pester 5 acceptance tests of Get-ZadarmaPbxExtension against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaPbxExtension' {
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

    It 'lists the extensions of the PBX, one object each' {
        $extensions = @(Get-ZadarmaPbxExtension @Zadarma)
        $extensions.Extension | Should -Be @('100', '101', '102')
        $extensions.PbxId | Select-Object -Unique | Should -Be '1234'
        (Get-ZadarmaRequestLog '/v1/pbx/internal/').method | Should -Be 'GET'
    }

    It 'pipes into Get-ZadarmaPbxExtensionStatus by Extension' {
        $statuses = @(Get-ZadarmaPbxExtension @Zadarma | Get-ZadarmaPbxExtensionStatus @Zadarma)
        $statuses.Extension | Should -Be @('100', '101', '102')
        $statuses.IsOnline | Should -Be @($true, $false, $true)
    }
}
