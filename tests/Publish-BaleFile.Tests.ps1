# Pester 5 acceptance tests of Publish-BaleFile (and Publish-BaleFile | Send-BaleMessage) against the sandbox over
# real HTTP. Run with ./build.ps1 -Task Pester. Saved as UTF-8 with a BOM (Windows PowerShell 5.1).
# Behaviours and names come from src/MessagingTools/Commands/Bale/PublishBaleFileCommand.cs,
# src/MessagingTools.Core/Providers/Bale/BaleClient.cs (UploadFileAsync) and
# tests/MessagingTools.Sandbox/Providers/BaleSandbox.cs (UploadAsync).

Describe 'Publish-BaleFile' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        # The sandbox's upload limit is lowered from 500 MB to 1 MB so that its refusal can be tested with a small
        # file (sandbox option --bale-max-upload-bytes; the client's own 500 MB check is tested separately below).
        $UploadLimit = 1048576
        $Sandbox = Start-TestSandbox -BaleMaxUploadBytes $UploadLimit
        $ApiKey = $Sandbox.BaleApiKey
        $Connection = @{ ApiKey = $ApiKey; Endpoint = $Sandbox.BaleEndpoint }

        function New-TestFile {
            param([string]$Directory, [string]$Name, [string]$Text)
            if (-not (Test-Path -LiteralPath $Directory)) { $null = New-Item -ItemType Directory -Path $Directory }
            $path = Join-Path $Directory $Name
            Set-Content -LiteralPath $path -Value $Text -Encoding UTF8
            return $path
        }

        function Get-Sha256 {
            param([string]$Path)
            return (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'Get-ChildItem *.txt | Publish-BaleFile | Send-BaleMessage -PhoneNumber ... delivers each file by its file id' {
        $dir = Join-Path $TestDrive 'pipeline'
        $a = New-TestFile $dir 'a.txt' 'the first file'
        $b = New-TestFile $dir 'b.txt' 'the second file, a little longer: سلام'
        $null = New-TestFile $dir 'skipped.log' 'not a .txt file'

        $publishErrors = $null
        $sendErrors = $null
        Push-Location -LiteralPath $dir
        try {
            # The order Get-ChildItem gives (the file system's; not necessarily sorted on every platform).
            $listed = @(Get-ChildItem *.txt | ForEach-Object { $_.Name })
            $results = @(Get-ChildItem *.txt |
                Publish-BaleFile @Connection -ErrorVariable publishErrors |
                Send-BaleMessage -PhoneNumber '0912 345 6789' -BotId 123 @Connection -ErrorVariable sendErrors)
        }
        finally {
            Pop-Location
        }

        @($publishErrors).Count | Should -Be 0
        @($sendErrors).Count | Should -Be 0
        $uploads = @(Get-SandboxBaleUpload $Sandbox)
        $uploads.Count | Should -Be 2
        (@($uploads | ForEach-Object { $_.fileName } | Sort-Object) -join ',') | Should -Be 'a.txt,b.txt'
        $uploadA = @($uploads | Where-Object { $_.fileName -eq 'a.txt' })[0]
        $uploadB = @($uploads | Where-Object { $_.fileName -eq 'b.txt' })[0]
        # The bytes arrived intact.
        $uploadA.length | Should -Be (Get-Item -LiteralPath $a).Length
        $uploadA.sha256 | Should -Be (Get-Sha256 $a)
        $uploadB.sha256 | Should -Be (Get-Sha256 $b)

        # One message per file, in Get-ChildItem's order, each carrying the id its upload returned.
        $listed.Count | Should -Be 2
        $expectedIds = @($listed | ForEach-Object { $name = $_; @($uploads | Where-Object { $_.fileName -eq $name })[0].fileId })
        $results.Count | Should -Be 2
        $results[0].Kind | Should -Be 'File'
        $results[1].Kind | Should -Be 'File'
        $results[0].FileId | Should -Be $expectedIds[0]
        $results[1].FileId | Should -Be $expectedIds[1]
        $results[0].PhoneNumber | Should -Be '989123456789'

        $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
        $deliveries.Count | Should -Be 2
        (@($deliveries | ForEach-Object { $_.fileId } | Sort-Object) -join ',') |
            Should -Be (@($uploadA.fileId, $uploadB.fileId | Sort-Object) -join ',')
        @($deliveries | Where-Object { $_.phoneNumber -ne '989123456789' }).Count | Should -Be 0
    }

    It 'returns one BaleFile per file matched by a wildcard -Path' {
        $dir = Join-Path $TestDrive 'wildcard'
        $one = New-TestFile $dir 'one.txt' 'one'
        $null = New-TestFile $dir 'two.txt' 'two two'

        # Sorted by name: the order in which a wildcard expands is the file system's.
        $files = @(Publish-BaleFile -Path (Join-Path $dir '*.txt') @Connection | Sort-Object -Property Name)

        $files.Count | Should -Be 2
        $files[0].PSObject.TypeNames | Should -Contain 'MessagingTools.Core.Providers.Bale.BaleFile'
        $files[0].Name | Should -Be 'one.txt'
        $files[0].Length | Should -Be (Get-Item -LiteralPath $one).Length
        $files[0].FileId | Should -Not -BeNullOrEmpty
        $files[1].Name | Should -Be 'two.txt'
        $files[1].FileId | Should -Not -Be $files[0].FileId
        @(Get-SandboxBaleUpload $Sandbox).Count | Should -Be 2
    }

    It 'reports a file over the sandbox upload limit as an error and still uploads the others' {
        $dir = Join-Path $TestDrive 'limit'
        $null = New-Item -ItemType Directory -Path $dir -Force
        $big = Join-Path $dir 'big.bin'
        $bytes = New-Object byte[] ($UploadLimit + 512KB)
        (New-Object System.Random 42).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes($big, $bytes)
        $small = New-TestFile $dir 'small.txt' 'small enough'

        $uploadErrors = $null
        $files = @(Publish-BaleFile -LiteralPath $big, $small @Connection -ErrorAction SilentlyContinue -ErrorVariable uploadErrors)

        @($uploadErrors).Count | Should -Be 1
        # The sandbox answers 413 with Safir error code 4 (InvalidInput): "file is larger than <limit> bytes".
        $uploadErrors[0].FullyQualifiedErrorId | Should -BeLike 'BaleInputWasInvalid,*'
        $uploadErrors[0].Exception.Message | Should -BeLike "*larger than $UploadLimit bytes*"
        $files.Count | Should -Be 1
        $files[0].Name | Should -Be 'small.txt'
        $uploads = @(Get-SandboxBaleUpload $Sandbox)
        $uploads.Count | Should -Be 1
        $uploads[0].fileName | Should -Be 'small.txt'
    }

    It 'refuses a file over Bale''s 500 MB limit before sending anything' {
        $huge = Join-Path $TestDrive 'huge.bin'
        # SetLength makes a sparse file on Linux and macOS (on NTFS it reserves the space without writing it).
        $stream = [System.IO.File]::Create($huge)
        try { $stream.SetLength(500MB + 1) } finally { $stream.Dispose() }
        try {
            $uploadErrors = $null
            $files = @(Publish-BaleFile -LiteralPath $huge @Connection -ErrorAction SilentlyContinue -ErrorVariable uploadErrors)

            $files.Count | Should -Be 0
            @($uploadErrors).Count | Should -Be 1
            $uploadErrors[0].FullyQualifiedErrorId | Should -BeLike 'BaleFileIsTooLarge,*'
            $uploadErrors[0].Exception.Message | Should -BeLike '*Nothing was sent*'
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }
        finally {
            Remove-Item -LiteralPath $huge -Force
        }
    }

    It 'reports a missing file as FileWasNotFound and sends nothing' {
        $missing = Join-Path $TestDrive 'does-not-exist.txt'
        $uploadErrors = $null

        $files = @(Publish-BaleFile -Path $missing @Connection -ErrorAction SilentlyContinue -ErrorVariable uploadErrors)

        $files.Count | Should -Be 0
        @($uploadErrors).Count | Should -Be 1
        $uploadErrors[0].FullyQualifiedErrorId | Should -BeLike 'FileWasNotFound,*'
        @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
    }

    It '-WhatIf uploads nothing' {
        $file = New-TestFile (Join-Path $TestDrive 'whatif') 'w.txt' 'not uploaded'

        $files = @(Publish-BaleFile -Path $file @Connection -WhatIf)

        $files.Count | Should -Be 0
        @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
    }

    It 'never shows the API key, even when it is rejected' {
        $wrongKey = 'pester-rejected-upload-key-9931'
        $file = New-TestFile (Join-Path $TestDrive 'secret') 's.txt' 'secret test'

        $all = @(Publish-BaleFile -Path $file -ApiKey $wrongKey -Endpoint $Sandbox.BaleEndpoint -Verbose -ErrorAction Continue *>&1)

        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'BaleCredentialsWereRejected,*'
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $text = ConvertTo-SearchableText $all
        $text | Should -BeLike '*upload_file*'
        $text | Should -Not -BeLike "*$wrongKey*"
        @(Get-SandboxBaleUpload $Sandbox).Count | Should -Be 0
    }
}
