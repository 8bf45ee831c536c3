function Add-PortReportAnalysisInput {
    <#
    .SYNOPSIS
    The process-block half of the analysis cmdlets: collects log paths (-Path, -LiteralPath, or
    files and folders piped by value) and PortReport objects (-InputObject) into $Inputs.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Inputs,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [AllowNull()] $InputObject,
        [string[]] $Path,
        [string[]] $LiteralPath
    )
    if ($Cmdlet.ParameterSetName -eq 'InputObject') {
        # -InputObject $array is each of its objects, as piping them is. Get-ChildItem output binds by
        # value to -InputObject too: files and folders are log paths.
        foreach ($o in $(if ($InputObject -is [System.Collections.IList]) { $InputObject } else { , $InputObject })) {
            if ($o.PSObject.BaseObject -is [System.IO.FileSystemInfo]) { $Inputs.Files.Add($o.FullName) }
            else { $Inputs.Objects.Add($o) }
        }
    } else {
        foreach ($f in Resolve-PortReportLogPath -Path $Path -LiteralPath $LiteralPath -Cmdlet $Cmdlet) { $Inputs.Files.Add($f) }
    }
}
