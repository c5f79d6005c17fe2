# Receives Zadarma's incoming-call notifications in an Azure Functions HTTP trigger (docs/zadarma.md, "Receiving
# Zadarma calls"). The function app needs MessagingTools (requirements.psd1 or its Modules folder) and the application settings
# MESSAGINGTOOLS_ZADARMA_API_KEY and MESSAGINGTOOLS_ZADARMA_API_SECRET, with which the Signature header is checked.
param($Request, $TriggerMetadata)

if ($Request.Method -eq 'GET') {
    # Zadarma's address check: a GET with zd_echo must answer its value.
    $echo = [string]$Request.Query['zd_echo']
    if ($echo) { $answer = @{ StatusCode = 200; ContentType = 'text/plain'; Body = $echo } }
    else { $answer = @{ StatusCode = 405; ContentType = 'text/plain'; Body = 'Only Zadarma notifications are answered here.' } }
}
else {
    $refused = @()
    $call = ConvertFrom-ZadarmaNotification -Body $Request.Body -Headers $Request.Headers -RequireSignature `
        -ErrorVariable refused -ErrorAction SilentlyContinue
    if (-not $call) {
        # 403 unsigned or forged, 400 not a notification, 413 too large: the error's HttpStatus.
        $status = $refused[0].Exception.HttpStatus
        if (-not $status) { $status = 400 }
        Write-Warning ("Refused a notification: " + $refused[0].FullyQualifiedErrorId)
        $answer = @{ StatusCode = $status; ContentType = 'text/plain'; Body = $refused[0].FullyQualifiedErrorId.Split(',')[0] }
    }
    else {
        # The routing: nothing for the PBX's own, an extension or scenario id, 'blacklist', and a caller name. Only the
        # notification without an event and NOTIFY_START (or NOTIFY_IVR) can steer the call: other events get an empty 200.
        $route = $null
        if ($call.Event -and @('NOTIFY_START', 'NOTIFY_IVR') -notcontains $call.Event) { $route = $null }
        elseif ($call.CallerId -like '+7926*') { $route = @{ Redirect = 100; CallerName = 'Moscow mobile' } }
        elseif ($call.CallerId -in @('', '0')) { $route = 'blacklist' }
        $body = ConvertTo-ZadarmaRouteAnswer -Route $route
        Write-Information ("Call {0} -> {1}: {2}" -f $call.CallerId, $call.CalledDid, $(if ($body) { $body } else { 'default routing' }))
        $contentType = 'application/json'
        if (-not $body) { $contentType = 'text/plain' }
        $answer = @{ StatusCode = 200; ContentType = $contentType; Body = $body }
    }
}
Push-OutputBinding -Name Response -Value ([HttpResponseContext]$answer)
