function Add-PortReportOption {
    <#
    .SYNOPSIS
    Adds `--name=value` to a sidecar argument list for each value, exactly as given: one argument
    (so a value starting with '-' is never read as an option), with '\' and ',' escaped as the
    sidecar's list options read them (a comma would otherwise split one value in two).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Collections.Generic.List[string]] $ArgumentList,
        [Parameter(Mandatory)] [string] $Name,
        [AllowNull()] [AllowEmptyCollection()] [object[]] $Value
    )
    foreach ($v in $Value) {
        $ArgumentList.Add("--$Name=" + ([string]$v -replace '\\', '\\' -replace ',', '\,'))
    }
}
