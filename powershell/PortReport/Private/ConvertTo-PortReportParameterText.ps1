function ConvertTo-PortReportParameterText {
    <#
    .SYNOPSIS
    A sidecar usage message as a PowerShell user reads it: each --option named as the cmdlet
    parameter that sets it (--remote-address -> -RemoteAddress, --process -> -ProcessName), and the
    sidecar's code prefix dropped.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    $special = @{ 'process' = 'ProcessName'; 'user' = 'UserName'; 'pid' = 'Id'; 'out' = 'OutFile'; 'watch-list' = 'WatchList'; 'no-gzip' = 'NoCompression'; 'fail-on' = 'FailOn'; 'report' = 'Report'; 'rules' = 'Rule'; 'state' = 'StatePath'; 'host' = 'HostName'; 'batch-rows' = 'BatchSize' }
    $t = $Text -replace '^PR_USAGE: ', ''
    [regex]::Replace($t, '(?<![\w-])--([a-z][a-z0-9-]*)', {
        param($m)
        $name = $m.Groups[1].Value
        if ($special.ContainsKey($name)) { return '-' + $special[$name] }
        '-' + (($name -split '-' | ForEach-Object { $_.Substring(0, 1).ToUpperInvariant() + $_.Substring(1) }) -join '')
    })
}
