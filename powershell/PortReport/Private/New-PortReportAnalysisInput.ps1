function New-PortReportAnalysisInput {
    <#
    .SYNOPSIS
    The begin-block half of the analysis cmdlets: an empty input collection, and (with -Bound)
    the splat for Invoke-PortReportAnalysis from the cmdlet's common parameters.
    #>
    [CmdletBinding()]
    param(
        $Inputs,
        $Bound,
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    if (-not $Bound) {
        return [pscustomobject]@{ Files = [System.Collections.Generic.List[string]]::new(); Objects = [System.Collections.Generic.List[object]]::new() }
    }
    $splat = @{ Cmdlet = $Cmdlet; File = $Inputs.Files; InputObject = $Inputs.Objects }
    foreach ($name in 'Engine', 'Strict', 'Live', 'After', 'Before', 'ClickHouse', 'ClickHouseHost', 'Credential') {
        if ($Bound.ContainsKey($name)) { $splat[$name] = $Bound[$name] }
    }
    $splat
}
