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
        # Get-ChildItem output binds by value to -InputObject too: files and folders are log paths.
        if ($InputObject.PSObject.BaseObject -is [System.IO.FileSystemInfo]) { $Inputs.Files.Add($InputObject.FullName) }
        else { $Inputs.Objects.Add($InputObject) }
    } else {
        foreach ($f in Resolve-PortReportLogPath -Path $Path -LiteralPath $LiteralPath -Cmdlet $Cmdlet) { $Inputs.Files.Add($f) }
    }
}
