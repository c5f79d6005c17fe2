# Pester 5 acceptance tests of Set-ZadarmaPbxRecording against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Set-ZadarmaPbxRecording' {
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

    It 'switches the recording of an extension on with a PUT' {
        $change = Set-ZadarmaPbxRecording -Extension 100 -Status on @Zadarma
        $change.Recording | Should -Be 'on'
        $extension = @(Invoke-SandboxControl $Sandbox 'zadarma/extensions' -Method GET) | Where-Object extension -eq '100'
        $extension.recording | Should -BeTrue
        $request = Get-ZadarmaRequestLog '/v1/pbx/internal/recording/'
        $request.method | Should -Be 'PUT'
        (Get-ZadarmaRequestBody '/v1/pbx/internal/recording/') | Should -Be 'id=100&status=on'
    }

    It 'sends the recordings to an e-mail address' {
        $change = Set-ZadarmaPbxRecording 102 ON_EMAIL -Email 'rec@example.com' @Zadarma
        $change.Status | Should -Be 'on_email'
        $change.Email | Should -Be 'rec@example.com'
        $extension = @(Invoke-SandboxControl $Sandbox 'zadarma/extensions' -Method GET) | Where-Object extension -eq '102'
        $extension.recordingToEmail | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        Get-ZadarmaPbxExtension @Zadarma | Set-ZadarmaPbxRecording -Status on @Zadarma -WhatIf
        @(Invoke-SandboxControl $Sandbox 'zadarma/extensions' -Method GET).recording | Should -Be @($false, $true, $false)
        Get-ZadarmaRequestLog '/v1/pbx/internal/recording/' | Should -BeNullOrEmpty
    }

    It 'refuses a status Zadarma does not take, naming its row, and goes on' {
        $rows = "Extension,Status`n100,maybe`n101,off" | ConvertFrom-Csv
        $failed = $null
        $changes = @($rows | Set-ZadarmaPbxRecording @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $changes.Extension | Should -Be @('101')
        $failed | Should -HaveCount 1
        $failed[0].TargetObject.Status | Should -Be 'maybe'
        "$($failed[0])" | Should -Match 'maybe'
        @(Get-ZadarmaRequestLog '/v1/pbx/internal/recording/') | Should -HaveCount 1
    }
}
