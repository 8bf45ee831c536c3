function ConvertTo-PortReportNdjson {
    <#
    .SYNOPSIS
    One PortReport object (PortReport.Connection, .LogRecord or .ProcessRecord, or one deserialized
    from Export-Clixml or remoting) as a JSON line for
    the sidecar's --input, with the properties the analyses read. Text is escaped by hand so every
    UTF-16 code unit survives (System.Text.Json and ConvertTo-Json replace lone surrogates, the raw
    bytes of Linux names). Returns $null for any other object.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowNull()] $InputObject)

    # Objects that came back through Export-Clixml / Import-Clixml or remoting are Deserialized.PortReport.*: the same properties.
    $names = if ($null -eq $InputObject) { @() } else { $InputObject.PSObject.TypeNames -replace '^Deserialized\.', '' }
    $kind = if ($names -contains 'PortReport.Connection') { 'Connection' } elseif ($names -contains 'PortReport.LogRecord') { 'LogRecord' } elseif ($names -contains 'PortReport.ProcessRecord') { 'ProcessRecord' } else { return $null }
    $process = 'ProcessId', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'UserName', 'ServiceName', 'HostName'
    $socket = 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State'
    $props = switch ($kind) {
        'Connection' { $socket + $process + 'Modules', 'ExecutableSha256', 'ObservedAt' }
        'LogRecord' { @('Time', 'Event') + $socket + $process + 'FirstSeen' }
        'ProcessRecord' { @('Time', 'Event') + $process + 'Modules', 'ExecutableSha256' }
    }
    $quote = {
        param([string] $s)
        '"' + [regex]::Replace($s, '[\u0000-\u001f"\\\u007f-\uffff]', { param($m) '\u{0:x4}' -f [int]$m.Value[0] }) + '"'
    }
    $parts = [System.Collections.Generic.List[string]]::new()
    if ($kind -ne 'Connection') { $parts.Add("`"RecordType`":`"$kind`"") }
    foreach ($p in $props) {
        $prop = $InputObject.PSObject.Properties[$p]
        $v = if ($prop) { $prop.Value } else { $null }
        $json = if ($null -eq $v) { 'null' }
        elseif ($v -is [datetime]) {
            # Local times back to UTC, as the logs hold them; a time without a zone (Port Reporter 1.x) as written.
            $t = if ($v.Kind -eq 'Local') { $v.ToUniversalTime() } else { $v }
            & $quote $t.ToString('o', [cultureinfo]::InvariantCulture)
        }
        elseif ($v -is [bool]) { if ($v) { 'true' } else { 'false' } }
        elseif ($v -is [int] -or $v -is [long] -or $v -is [double]) { ([System.IFormattable]$v).ToString($null, [cultureinfo]::InvariantCulture) }
        elseif ($v -is [System.Collections.IEnumerable] -and $v -isnot [string]) { '[' + ((@($v) | ForEach-Object { & $quote ([string]$_) }) -join ',') + ']' }
        else { & $quote ([string]$v) }
        $parts.Add("`"$p`":$json")
    }
    '{' + ($parts -join ',') + '}'
}
