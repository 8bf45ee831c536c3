function ConvertTo-PortReportIsoTime {
    <#
    .SYNOPSIS
    A [datetime] parameter as the sidecar's --after/--before value: ISO-8601 UTC ("o" format); a
    local or unspecified time is taken as local time.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [datetime] $Time)
    $(if ($Time.Kind -eq 'Utc') { $Time } else { $Time.ToUniversalTime() }).ToString('o', [cultureinfo]::InvariantCulture)
}
