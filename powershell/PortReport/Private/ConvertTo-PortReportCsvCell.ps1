function ConvertTo-PortReportCsvCell {
    <#
    .SYNOPSIS
    The spreadsheet formula guard of one text cell, the rule the sidecar's logs use (src/util/display.ts,
    guardFormula): a cell beginning with = + - @ TAB CR or ' gets one more leading ', exactly reversible.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    if ($Text.Length -gt 0 -and "=+-@`t`r'".Contains($Text[0])) { "'" + $Text } else { $Text }
}
