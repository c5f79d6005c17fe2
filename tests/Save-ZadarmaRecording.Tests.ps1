# Pester 5 acceptance tests of Save-ZadarmaRecording against the Zadarma sandbox over real HTTP: links asked for at
# /zadarma/v1/pbx/record/request/ (signed, checked by the sandbox), files downloaded from /zadarma-records/ (unsigned).
# Run with ./build.ps1 -Task Pester. Behaviours come from src/MessagingTools/Commands/Zadarma/SaveZadarmaRecordingCommand.cs,
# src/MessagingTools.Core/Providers/Zadarma/ZadarmaClient.Recordings.cs and src/MessagingTools.Core/Http/HttpTransport.Download.cs.

Describe 'Save-ZadarmaRecording' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Add-Recording([string]$Id, [long]$Size, [string]$PbxCallId, [long]$DropAfter = -1, [int]$DropCount = 0) {
            $body = @{ id = $Id; size = $Size }
            if ($PbxCallId) { $body.pbxCallId = $PbxCallId }
            if ($DropAfter -ge 0) { $body.dropAfter = $DropAfter; $body.dropCount = $DropCount }
            $null = Invoke-SandboxControl $Sandbox 'zadarma/recordings' -Body $body
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
        $Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It 'saves piped links under their recording ids into a folder it makes' {
        Add-Recording 1700000000.1 2000 in_1
        Add-Recording 1700000000.2 3000 in_1
        $files = @(Get-ZadarmaRecording -PbxCallId in_1 @Zadarma | Save-ZadarmaRecording -Path $Folder @Zadarma)
        $files | Should -HaveCount 2
        $files[0] | Should -BeOfType ([MessagingTools.Core.Providers.Zadarma.ZadarmaRecordingFile])
        $files.Name | Should -Be @('1700000000.1.mp3', '1700000000.2.mp3')
        (Get-Item -LiteralPath $files[0].Path).Length | Should -Be 2000
        # The Path pipes into the file cmdlets.
        ($files | Get-Item | ForEach-Object Length) | Should -Be @(2000, 3000)
        (Get-ChildItem $Folder).Name | Should -Be @('1700000000.1.mp3', '1700000000.2.mp3')
    }

    It 'asks for the links of call events and statistics rows first, and skips the calls not recorded' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 40; start = '2026-11-01 00:00:00'; end = '2026-11-01 23:00:00' }
        $rows = @(Get-ZadarmaPbxStatistics -Start 2026-11-01 -End 2026-11-02 -UtcOffset 0 @Zadarma)
        $files = @($rows | Save-ZadarmaRecording $Folder @Zadarma)
        $files.Count | Should -Be @($rows | Where-Object IsRecorded).Count
        $files.PbxCallId | Should -Be @($rows | Where-Object IsRecorded).PbxCallId
        $event = [pscustomobject]@{ Event = 'NOTIFY_RECORD'; call_id_with_rec = '1700000000.99'; pbx_call_id = 'in_99' }
        $file = $event | Save-ZadarmaRecording $Folder @Zadarma
        $file.Name | Should -Be '1700000000.99.mp3'
        $file.PbxCallId | Should -Be 'in_99'
    }

    It 'asks for no more links once Zadarma refused the credentials: one request, and every row its error' {
        $wrong = ConvertTo-SecureString -String 'wrong-secret' -AsPlainText -Force
        $bad = New-Object System.Management.Automation.PSCredential ($Zadarma.Credential.UserName, $wrong)
        $failed = $null
        $files = @('1700000000.1', '1700000000.2', '1700000000.3' | ForEach-Object { [pscustomobject]@{ RecordingId = $_ } } |
                Save-ZadarmaRecording $Folder -Credential $bad -Endpoint $Zadarma.Endpoint -ErrorAction SilentlyContinue -ErrorVariable failed)

        $files.Count | Should -Be 0
        $failed.Count | Should -Be 3
        @($failed | ForEach-Object { $_.CategoryInfo.Category }) | Should -Be @('AuthenticationError', 'AuthenticationError', 'AuthenticationError')
        $failed[1].ToString() | Should -BeLike '*Not sent*refused the credentials*'
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/pbx/record/request/*' }).Count | Should -Be 1
        Get-ChildItem $Folder -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'leaves an existing file as it is, with an error naming the row and the file, and saves the other rows' {
        $null = New-Item -ItemType Directory -Path $Folder
        Set-Content -LiteralPath (Join-Path $Folder '1700000000.8.mp3') -Value 'mine'
        $failed = $null
        $files = @('1700000000.7', '1700000000.8', '1700000000.9') | ForEach-Object { [pscustomobject]@{ RecordingId = $_ } } |
            Save-ZadarmaRecording $Folder @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $files.RecordingId | Should -Be @('1700000000.7', '1700000000.9')
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaRecordingFileExists,*'
        "$failed" | Should -Match 'Row 2'
        "$failed" | Should -Match ([regex]::Escape((Join-Path $Folder '1700000000.8.mp3')))
        $failed[0].TargetObject.RecordingId | Should -Be '1700000000.8'
        Get-Content -LiteralPath (Join-Path $Folder '1700000000.8.mp3') | Should -Be 'mine'
        # -Force replaces it.
        (Save-ZadarmaRecording -RecordingId '1700000000.8' $Folder -Force @Zadarma).Length | Should -Be 48000
    }

    It 'leaves no file and no part of one when a download never completes, and retries a dropped one from its start' {
        Add-Recording 1700000000.5 400000 -DropAfter 100000 -DropCount 1000
        $failed = $null
        Save-ZadarmaRecording -RecordingId '1700000000.5' -Path $Folder @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        @(Get-ChildItem -LiteralPath $Folder -Force) | Should -HaveCount 0

        Add-Recording 1700000000.6 400000 -DropAfter 150000 -DropCount 1
        $file = Save-ZadarmaRecording -RecordingId '1700000000.6' -Path $Folder @Zadarma
        $file.Length | Should -Be 400000
        (Get-FileHash -LiteralPath $file.Path).Hash | Should -Be (Get-FileHash -InputStream ([IO.MemoryStream]::new([byte[]](0..399999 | ForEach-Object {
            switch ($_) { 0 { 73 } 1 { 68 } 2 { 51 } default { ($_ * 31 + 12 * 7 + ($_ -shr 11)) -band 0xFF } } })))).Hash
    }

    It 'streams a large file to disk, in little memory' {
        $size = 200MB
        Add-Recording 1700000000.4 $size
        [GC]::Collect()
        $before = [GC]::GetTotalAllocatedBytes($true)
        $file = Save-ZadarmaRecording -RecordingId '1700000000.4' -Path $Folder -TimeoutSec 60 @Zadarma
        $allocated = [GC]::GetTotalAllocatedBytes($true) - $before
        $file.Length | Should -Be $size
        (Get-Item -LiteralPath $file.Path).Length | Should -Be $size
        # Far less than the file (the sandbox is another process): it never was in memory whole.
        $allocated | Should -BeLessThan ($size / 8)
    }

    It 'writes nothing and asks for no link with -WhatIf' {
        Save-ZadarmaRecording -RecordingId '1700000000.3' -Path $Folder -WhatIf
        Test-Path -LiteralPath $Folder | Should -BeFalse
        @(Invoke-SandboxControl $Sandbox requests) | Should -HaveCount 0
    }

    It 'shows saved files in an 80-column table' {
        $text = Save-ZadarmaRecording -RecordingId '1700000000.2' -Path $Folder @Zadarma | Out-String -Width 80
        $text | Should -Match 'RecordingId\s+Length\s+Path'
        $text | Should -Match '1700000000\.2\s+48000\s+/'
    }
}
