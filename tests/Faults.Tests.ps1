# Pester 5: the cmdlets under the faults of a hostile network and a careless spreadsheet (issue 11), against the
# sandbox over real HTTP: nothing sent twice, nothing reported sent that was not, no secret to another host or in any
# text, every input its own outcome. Each It replays a defect that was seen in real PowerShell 7.6.9.
# Secrets are held in variables: PowerShell 7's error view prints the script line of a failing call.

Describe 'Faults' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
        $BaleKey = $Sandbox.BaleApiKey
        $Bale = @{ BotId = 123; ApiKey = $BaleKey; Endpoint = $Sandbox.BaleEndpoint }
        $FeedbotToken = $Sandbox.FeedbotToken
        $Feedbot = @{ Token = $FeedbotToken; Endpoint = $Sandbox.FeedbotEndpoint }

        function Get-Everything {
            <# Runs a script block with every stream on and returns all it wrote, and its errors as ConvertTo-Json and Out-String show them. #>
            param([scriptblock]$ScriptBlock)
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $InformationPreference = 'Continue'
            $records = @(& $ScriptBlock *>&1)
            $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $text = ConvertTo-SearchableText $records
            if ($errors.Count -gt 0) {
                $text += "`n" + ($errors | Out-String -Width 400)
                $text += "`n" + ($errors | Select-Object -Property * | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue)
            }
            [pscustomobject]@{ Records = $records; Errors = $errors; Text = $text }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    Context 'nothing placed twice when an answer is lost' {
        It 'places each callback once when Zadarma acts and drops the connection (ThrottleLimit <Throttle>)' -ForEach @(
            @{ Throttle = 1 }
            @{ Throttle = 8 }
        ) {
            Add-SandboxFault $Sandbox -Kind Drop -PathContains '/v1/request/callback/' -AfterProcessing -Count 10
            $numbers = @(1..10 | ForEach-Object { '4420376918{0:D2}' -f $_ })
            $failed = $null
            $results = @($numbers | Invoke-ZadarmaCallback -From 100 @Zadarma -ThrottleLimit $Throttle -ErrorAction SilentlyContinue -ErrorVariable failed)

            $placed = @(Invoke-SandboxControl $Sandbox 'zadarma/callbacks')
            $placed.Count | Should -Be 10 -Because 'each number is called exactly once'
            @($placed | Group-Object -Property to | Where-Object Count -gt 1).Count | Should -Be 0
            $results.Count | Should -Be 0
            @($failed).Count | Should -Be 10
            foreach ($e in $failed) {
                $e.FullyQualifiedErrorId | Should -BeLike 'ConnectionFailedMayHaveTakenEffect,*'
                $e.Exception.MayHaveTakenEffect | Should -BeTrue
            }
        }
    }

    Context 'a Bale message whose every attempt failed after delivery' {
        It 'says it may have been delivered, carries its request id, and the retry recipe delivers it once' {
            # Four attempts a message (the transport's MaxAttempts), all answered 500 after Safir delivered.
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains 'send_message' -AfterProcessing -Count 8
            $csv = Write-TestCsv 'lost.csv' @('Phone,Message', '09123456781,first', '09123456782,second')
            $failed = $null
            $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable failed)

            $results.Count | Should -Be 0
            @($failed).Count | Should -Be 2
            foreach ($e in $failed) {
                $e.Exception.MayHaveTakenEffect | Should -BeTrue
                $e.Exception.RequestId | Should -Not -BeNullOrEmpty
                $e.ErrorDetails.Message | Should -Match 'may have been delivered'
            }
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 2

            @(Get-SandboxRequest $Sandbox).Count | Should -Be 8

            # The recipe of docs/behaviour.md (the faults are used up): the failed rows again, each with its request id.
            $retry = foreach ($e in $failed) {
                $row = $e.TargetObject.PSObject.Copy()
                $row | Add-Member -NotePropertyName RequestId -NotePropertyValue $e.Exception.RequestId -Force
                $row
            }
            $again = @($retry | Send-BaleMessage @Bale -ErrorAction SilentlyContinue)
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be 2 -Because 'each message was delivered once, however often it was sent'
            ($again | ForEach-Object { $_.RequestId } | Sort-Object) | Should -Be ($failed | ForEach-Object { $_.Exception.RequestId } | Sort-Object)
        }

        It 'names a folder given to Publish-BaleFile as a folder, and a recipient without Bale with what to do' {
            $folder = Join-Path $TestDrive 'photos'
            $null = New-Item -ItemType Directory -Path $folder -Force
            $errs = $null
            Publish-BaleFile -LiteralPath $folder -ApiKey $BaleKey -Endpoint $Sandbox.BaleEndpoint -ErrorAction SilentlyContinue -ErrorVariable errs
            @($errs).Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match 'is a folder'

            $errs = $null
            Send-BaleMessage -PhoneNumber '98 99999900 17' -Text 'hi' @Bale -ErrorAction SilentlyContinue -ErrorVariable errs
            $message = $errs[0].Exception.Message
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BaleRecipientIsNotABaleUser,*'
            ([regex]::Matches($message, 'NotBaleUser')).Count | Should -Be 1
            $message | Should -Match 'Send-ZadarmaSms'
        }
    }

    Context 'redirects' {
        It 'does not follow a <Status> from <Cmdlet>, sends the credential nowhere else and reports no success' -ForEach @(
            @{ Cmdlet = 'Send-BaleMessage'; Status = 302; Path = 'send_message' }
            @{ Cmdlet = 'Send-BaleMessage'; Status = 307; Path = 'send_message' }
            @{ Cmdlet = 'Send-FeedbotMessage'; Status = 302; Path = 'addnewmessages' }
            @{ Cmdlet = 'Send-FeedbotMessage'; Status = 307; Path = 'addnewmessages' }
        ) {
            # "Another host": the same sandbox under another name, where a followed request would be recorded.
            $elsewhere = "http://localhost:$($Sandbox.Port)/bale/api/v3/send_message"
            Add-SandboxFault $Sandbox -Kind Redirect -PathContains $Path -Status $Status -Location $elsewhere
            if ($Cmdlet -eq 'Send-BaleMessage') {
                $run = Get-Everything { Send-BaleMessage -PhoneNumber 09123456789 -Text 'hi' @Bale -ErrorAction Continue }
                $prefix = 'Bale'
            }
            else {
                $run = Get-Everything { Send-FeedbotMessage -PhoneNumber 972586666644 -Message 'hi' @Feedbot -ErrorAction Continue }
                $prefix = 'Feedbot'
            }

            $requests = @(Get-SandboxRequest $Sandbox)
            $requests.Count | Should -Be 1 -Because 'the redirect is not followed'
            @($requests | Where-Object { $_.path -like "*$Path*" }).Count | Should -Be 1
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 0
            @($run.Records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] }).Count | Should -Be 0 -Because 'nothing was sent'
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$($prefix)AnswerWasARedirect,*"
            $run.Errors[0].Exception.Message | Should -Match ([regex]::Escape($elsewhere))
        }
    }

    Context 'secrets in the forms a provider echoes them' {
        It 'masks the <Name> echoed raw, base64- and URL-encoded in every text of the error' -ForEach @(
            @{ Name = 'Bale api-access-key'; Provider = 'Bale' }
            @{ Name = 'FeedBot token'; Provider = 'Feedbot' }
            @{ Name = 'flash-call token'; Provider = 'FlashCall' }
        ) {
            switch ($Provider) {
                'Bale' {
                    $secret = $BaleKey
                    Add-SandboxFault $Sandbox -Kind EchoCredentials -PathContains 'send_message' -Status 401
                    $run = Get-Everything { Send-BaleMessage -PhoneNumber 09123456789 -Text 'hi' @Bale -ErrorAction Continue }
                }
                'Feedbot' {
                    $secret = $FeedbotToken
                    Add-SandboxFault $Sandbox -Kind EchoCredentials -PathContains 'addnewmessages' -Status 401
                    $run = Get-Everything { Send-FeedbotMessage -PhoneNumber 972586666644 -Message 'hi' @Feedbot -ErrorAction Continue }
                }
                'FlashCall' {
                    $secret = $Sandbox.FlashCallToken
                    Add-SandboxFault $Sandbox -Kind EchoCredentials -PathContains 'flashcall' -Status 401
                    $run = Get-Everything { Send-FlashCall -Destination 09123456789 -Token $secret -Endpoint $Sandbox.FlashCallEndpoint -ErrorAction Continue }
                }
            }
            $run.Errors.Count | Should -Be 1
            $forms = @(
                $secret
                [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($secret))
                [Uri]::EscapeDataString($secret)
            )
            # The echo did reach the error (so the masking is what hides it), and none of the forms is left.
            $run.Text | Should -Match 'these credentials were refused'
            foreach ($form in $forms) { $run.Text | Should -Not -Match ([regex]::Escape($form)) }
        }
    }

    Context 'one RequestId for two messages' {
        It 'refuses the second of two rows that share a RequestId for different phones, naming the row and RequestId' {
            $csv = Write-TestCsv 'dup.csv' @('Phone,Message,RequestId', '09123456781,hello,order-17', '09123456782,hello,order-17', '09123456783,hello,order-18')
            $errs = $null
            $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable errs)

            $results.Count | Should -Be 2
            ($results | ForEach-Object { $_.RequestId }) | Should -Be @('order-17', 'order-18')
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BaleRequestIdIsReused,*'
            $errs[0].ErrorDetails.Message | Should -BeLike "Row 2, RequestId: *order-17*"
            $errs[0].ErrorDetails.Message | Should -BeLike '*(row 1)*' -Because 'the row that has the id first is named (its message is not kept)'
            $errs[0].TargetObject.Phone | Should -Be '09123456782'
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be 2
        }
    }

    Context 'two recipient columns' {
        It 'refuses a row whose Phone and Mobile columns differ, naming both, and sends the others (<Cmdlet>)' -ForEach @(
            @{ Cmdlet = 'Send-BaleMessage' }
            @{ Cmdlet = 'Send-FlashCall' }
        ) {
            $csv = Write-TestCsv 'two.csv' @('Phone,Mobile,Message', '09123456781,09123456781,same', '09123456782,09350000000,differ', '09123456783,,one')
            $errs = $null
            if ($Cmdlet -eq 'Send-BaleMessage') {
                $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable errs)
            }
            else {
                $results = @(Import-Csv -LiteralPath $csv | Send-FlashCall -Token $Sandbox.FlashCallToken -Endpoint $Sandbox.FlashCallEndpoint -ErrorAction SilentlyContinue -ErrorVariable errs)
            }
            $results.Count | Should -Be 2
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'RowHasConflictingColumns,*'
            $errs[0].ErrorDetails.Message | Should -BeLike "Row 2, *Phone ('09123456782')*Mobile ('09350000000')*"
            $errs[0].TargetObject.Message | Should -Be 'differ'
        }
    }

    Context 'a wrong key' {
        It 'stops sending once Bale refused the key: every row ends as that refusal, at most ThrottleLimit requests went out' {
            $wrongKey = 'not-the-sandbox-key-77'
            $csv = Write-TestCsv 'many.csv' (@('Phone,Message') + @(1..300 | ForEach-Object { '0912{0:D7},row {0}' -f $_ }))
            $errs = $null
            $results = @(Import-Csv -LiteralPath $csv |
                Send-BaleMessage -BotId 123 -ApiKey $wrongKey -Endpoint $Sandbox.BaleEndpoint -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable errs)

            $results.Count | Should -Be 0
            @($errs).Count | Should -Be 300
            @($errs | Where-Object { $_.FullyQualifiedErrorId -notlike 'BaleCredentialsWereRejected,*' }).Count | Should -Be 0
            @($errs | Where-Object { $_.CategoryInfo.Category -ne 'AuthenticationError' }).Count | Should -Be 0
            $errs[299].ErrorDetails.Message | Should -Match 'Not sent'
            $errs[299].TargetObject.Message | Should -Be 'row 300'
            @(Get-SandboxRequest $Sandbox).Count | Should -BeLessOrEqual 8 -Because 'only the requests in flight (ThrottleLimit) when the first refusal came back may have gone out'
        }
    }

    Context 'credentials that cannot be sent' {
        It 'refuses an ApiKey with a line break in it, naming -ApiKey, and sends nothing' {
            $injected = "key`r`nX-Injected: 1"
            { Send-BaleMessage -PhoneNumber 09123456789 -Text 'hi' -BotId 123 -ApiKey $injected -Endpoint $Sandbox.BaleEndpoint -ErrorAction Stop } |
                Should -Throw -ErrorId 'BaleApiKeyIsInvalid*' -ExpectedMessage '*-ApiKey*control character*'
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }

        It 'refuses a FeedBot token with a non-ASCII letter as a local error, never as "may have been sent"' {
            $token = 'tok' + [char]0x00E9 + 'n-42'   # an e with an acute accent
            { Send-FeedbotMessage -PhoneNumber 972586666644 -Message 'hi' -Token $token -Endpoint $Sandbox.FeedbotEndpoint -ErrorAction Stop } |
                Should -Throw -ErrorId 'FeedbotTokenIsInvalid*' -ExpectedMessage '*-Token*non-ASCII*'
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }

        It 'refuses a Zadarma secret from the environment with a line break, naming the variable' {
            $env:MESSAGINGTOOLS_ZADARMA_API_KEY = 'sandbox-zadarma-key'
            $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = "sandbox-zadarma-secret`nX: 1"
            try {
                { Get-ZadarmaBalance -Endpoint $Sandbox.ZadarmaEndpoint -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ZadarmaSecretIsInvalid*' -ExpectedMessage '*MESSAGINGTOOLS_ZADARMA_API_SECRET*control character*'
            }
            finally {
                $env:MESSAGINGTOOLS_ZADARMA_API_KEY = $null
                $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = $null
            }
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }
    }

    Context 'the manners of real servers (issue 16, guard 1)' {
        # The sandbox's front door ($Sandbox.Front) plays servers as they are found in the wild (SandboxManners.cs):
        # one that closes after each answer without saying Connection: close, one that answers an error before reading
        # the body, an HTTP/1.0 one, one slow to accept; and Polite as the baseline. Every sending cmdlet goes through
        # each at ThrottleLimit 16 under a 429 on every 10th request (retried: the server did nothing) and a 500 after
        # acting on every 7th. The rows left uncertain must be exactly the rows the server acted on without answering
        # properly, and the server must act on every row exactly once.
        # A manner that breaks a connection under a request the client sends a second time (a reused connection) makes a
        # non-idempotent row end as "may have taken effect" although the server never received it: these tests catch that.
        It '<Cmdlet> through a server that <Manners>: uncertain rows are exactly those answered 500 after acting, each row acted on once' -ForEach @(
            foreach ($manners in @('Polite', 'CloseSilently', 'ErrorBeforeBody', 'Http10', 'SlowAccept')) {
                foreach ($cmdlet in @('Send-FlashCall', 'Invoke-ZadarmaCallback', 'Send-ZadarmaSms', 'Send-FeedbotMessage', 'Send-BaleMessage')) {
                    @{ Manners = $manners; Cmdlet = $cmdlet }
                }
            }
        ) {
            $rowCount = 60
            $front = $Sandbox.Front
            # Each row's number ends in its own seven digits, 55 and the row number: its token in what the sandbox recorded.
            function Get-Token([string]$Number) { $digits = $Number -replace '\D', ''; $digits.Substring($digits.Length - 7) }
            switch ($Cmdlet) {
                'Send-FlashCall' { $path = 'flashcall'; $prefix = '091255'; $records = 'flashcall/calls'; $field = 'destination' }
                'Invoke-ZadarmaCallback' { $path = '/v1/request/callback/'; $prefix = '4420355'; $records = 'zadarma/callbacks'; $field = 'to' }
                'Send-ZadarmaSms' { $path = '/v1/sms/send/'; $prefix = '790055'; $records = 'zadarma/sms'; $field = 'number' }
                'Send-FeedbotMessage' { $path = 'addnewmessages'; $prefix = '9725855'; $records = 'feedbot/queued'; $field = 'phone' }
                'Send-BaleMessage' { $path = 'send_message'; $prefix = '091255'; $records = 'bale/deliveries'; $field = 'phoneNumber' }
            }
            $rows = @(1..$rowCount | ForEach-Object { [pscustomobject]@{ Phone = ('{0}{1:D5}' -f $prefix, $_); Message = 'guard' } })

            Set-TestSandboxManners $Sandbox $Manners -AcceptDelayMs 20
            Add-SandboxFault $Sandbox -Kind RateLimit -PathContains $path -Every 10 -Count 1000 -RetryAfterSeconds 0
            # Bale retries a 500 with the same request_id; SkipRepeats lets the retry through, so that none is hit four times.
            Add-SandboxFault $Sandbox -Kind Status -Status 500 -PathContains $path -AfterProcessing -Every 7 -Count 1000 -SkipRepeats:($Cmdlet -eq 'Send-BaleMessage')

            $failed = $null
            switch ($Cmdlet) {
                'Send-FlashCall' {
                    $flashCallToken = $front.FlashCallToken
                    $results = @($rows | Select-Object -Property Phone |
                        Send-FlashCall -Token $flashCallToken -Endpoint $front.FlashCallEndpoint -ThrottleLimit 16 -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue)
                }
                'Invoke-ZadarmaCallback' {
                    $zadarmaFront = Get-SandboxZadarmaConnection -Sandbox $front
                    $results = @($rows | Select-Object -Property Phone |
                        Invoke-ZadarmaCallback -From 100 @zadarmaFront -ThrottleLimit 16 -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue)
                }
                'Send-ZadarmaSms' {
                    $zadarmaFront = Get-SandboxZadarmaConnection -Sandbox $front
                    $results = @($rows | Send-ZadarmaSms @zadarmaFront -ThrottleLimit 16 -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue)
                }
                'Send-FeedbotMessage' {
                    $feedbotToken = $front.FeedbotToken
                    # One row a request, so that the faults hit rows, not batches.
                    $results = @($rows | Send-FeedbotMessage -Token $feedbotToken -Endpoint $front.FeedbotEndpoint -BatchSize 1 -ThrottleLimit 16 -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue)
                }
                'Send-BaleMessage' {
                    $baleKey = $front.BaleApiKey
                    $results = @($rows | Send-BaleMessage -BotId 123 -ApiKey $baleKey -Endpoint $front.BaleEndpoint -ThrottleLimit 16 -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue)
                }
            }
            $errors = @($failed)

            # What the server did: the requests it acted on (the provider's records), and those it answered 500 after acting.
            $requests = @(Get-SandboxRequest $Sandbox)
            $acted = @(Invoke-SandboxControl $Sandbox $records | ForEach-Object { Get-Token ([string]$_.$field) })
            $answered500 = @($requests | Where-Object { $_.fault -eq 'Status' -and $_.afterProcessing } | ForEach-Object {
                    $text = [string]$_.query + ' ' + [string]$_.body
                    foreach ($row in $rows) { $token = Get-Token $row.Phone; if ($text.Contains($token)) { $token } }
                })
            $errorRows = @($errors | ForEach-Object { Get-Token ([string]$_.TargetObject.Phone) })
            $uncertain = @($errors | Where-Object { $_.Exception.MayHaveTakenEffect } | ForEach-Object { Get-Token ([string]$_.TargetObject.Phone) })
            $counts = 'results {0}, errors {1}, uncertain {2} (ids: {3}), answered 500 after acting {4}, rate-limited {5}, requests {6}, acted on {7} ({8} rows)' -f
                $results.Count, $errors.Count, $uncertain.Count, (($errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Group-Object | ForEach-Object { "$($_.Name) x$($_.Count)" }) -join ' '),
                $answered500.Count, @($requests | Where-Object { $_.fault -eq 'RateLimit' }).Count, $requests.Count, $acted.Count, @($acted | Sort-Object -Unique).Count

            # The faults did fire (else the test proves nothing), and ErrorBeforeBody answered some without reading the body.
            @($requests | Where-Object { $_.fault -eq 'RateLimit' }).Count | Should -BeGreaterThan 0 -Because $counts
            $answered500.Count | Should -BeGreaterThan 0 -Because $counts
            if ($Manners -eq 'ErrorBeforeBody') { @($requests | Where-Object { -not $_.bodyRead }).Count | Should -BeGreaterThan 0 -Because $counts }

            # Every row ends as exactly one result or one error.
            @($errorRows | Sort-Object -Unique).Count | Should -Be $errorRows.Count -Because "no row has two errors: $counts"
            ($results.Count + $errorRows.Count) | Should -Be $rowCount -Because "every row has one outcome: $counts"
            if ($Cmdlet -eq 'Send-BaleMessage') {
                # Idempotent by request_id: the 500s are retried and each message is delivered once.
                $errors.Count | Should -Be 0 -Because "a Bale send is retried with its request_id: $counts"
            }
            else {
                # The rows left uncertain are exactly those the server acted on and answered 500; every other row succeeded.
                (@($uncertain | Sort-Object) -join ',') | Should -Be (@($answered500 | Sort-Object) -join ',') -Because "uncertain rows (left) must be the rows answered 500 after acting (right): $counts"
                $errors.Count | Should -Be $uncertain.Count -Because "the only errors are the uncertain rows: $counts"
            }
            # The server acted on each row exactly once: the rate-limited attempts did nothing and were retried.
            $acted.Count | Should -Be $rowCount -Because "each row's request reached the server once: $counts"
            @($acted | Sort-Object -Unique).Count | Should -Be $rowCount -Because $counts
        }
    }

    Context 'a row that is retried' {
        It 'keeps sending the rows after a row that waits out a retry, and writes every result in order' {
            # Issue 11, item 8: a 500 after every 7th delivery, each such row retried after about 0.5 s. A slot used to be
            # freed only when its result was written, so the rows behind a retrying one held every slot and the run went
            # from back-off to back-off (2,000 rows: 85-91 s instead of 6.3 s). Now they go on while it waits.
            $throttle = 8
            $rowCount = 300
            $lines = New-Object System.Collections.Generic.List[string]
            $lines.Add('Phone,Message')
            for ($n = 1; $n -le $rowCount; $n++) { $lines.Add(('0912{0:D7},row {0}' -f $n)) }
            $csv = Write-TestCsv 'retried.csv' $lines.ToArray()
            Set-SandboxLatency $Sandbox 20
            Add-SandboxFault $Sandbox -Kind Status -PathContains 'send_message' -AfterProcessing -Every 7 -SkipRepeats -Count 1000

            $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ThrottleLimit $throttle)

            ($results | ForEach-Object { $_.Text }) -join '|' | Should -Be ((1..$rowCount | ForEach-Object { "row $_" }) -join '|')
            @(Get-SandboxBaleDelivery $Sandbox).Count | Should -Be $rowCount
            # In arrival order: how many requests of other rows arrived between a row's first request and its retry.
            $texts = @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*send_message*' } |
                    ForEach-Object { [string](ConvertFrom-Json -InputObject $_.body).message_data.message.text })
            $firstSeen = @{}
            $passed = New-Object System.Collections.Generic.List[int]
            for ($i = 0; $i -lt $texts.Count; $i++) {
                if ($firstSeen.ContainsKey($texts[$i])) { $passed.Add($i - $firstSeen[$texts[$i]] - 1) } else { $firstSeen[$texts[$i]] = $i }
            }
            $passed.Count | Should -Be ([math]::Floor($rowCount / 7)) -Because 'every 7th row was answered 500 once and retried once'
            # Held back, no more than the other slots' rows (under 2 x ThrottleLimit) could pass a retrying row.
            ($passed | Measure-Object -Maximum).Maximum | Should -BeGreaterThan (4 * $throttle)
        }
    }
}
