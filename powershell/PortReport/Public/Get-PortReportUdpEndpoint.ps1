function Get-PortReportUdpEndpoint {
    <#
    .SYNOPSIS
    UDP endpoints shaped like Get-NetUDPEndpoint's, for scripts written for it; Get-NetUDPEndpoint on Linux.

    .DESCRIPTION
    Get-PortReportUdpEndpoint returns the UDP sockets of a live snapshot as objects with the
    properties of Windows' Get-NetUDPEndpoint (MSFT_NetUDPEndpoint): LocalAddress, LocalPort,
    OwningProcess (a uint32, 0 when no process is known) and CreationTime, and the same
    parameters, so admin scripts run unchanged. Where Get-NetUDPEndpoint does not exist (Linux),
    the module makes Get-NetUDPEndpoint an alias of this command. CreationTime, which Linux does
    not record, is empty. For the owner's name, path, user and service, use Get-PortReport.

    .PARAMETER LocalAddress
    Only endpoints on these local addresses.

    .PARAMETER LocalPort
    Only endpoints on these local ports.

    .PARAMETER OwningProcess
    Only endpoints of these process ids; takes pipeline input by property name.

    .EXAMPLE
    Get-NetUDPEndpoint -LocalPort 53 | ForEach-Object { Get-Process -Id $_.OwningProcess }

    Who answers DNS on this host, as the Windows idiom writes it.

    .EXAMPLE
    Get-PortReportUdpEndpoint | Group-Object OwningProcess | Sort-Object Count -Descending

    The processes with the most UDP endpoints.

    .OUTPUTS
    PortReport.NetUDPEndpoint
    #>
    [CmdletBinding()]
    [OutputType('PortReport.NetUDPEndpoint')]
    param(
        [string[]] $LocalAddress,

        [uint16[]] $LocalPort,

        [Parameter(ValueFromPipelineByPropertyName)]
        [uint32[]] $OwningProcess
    )
    begin { $ids = [System.Collections.Generic.List[int]]::new() }
    process { if ($OwningProcess) { $ids.AddRange([int[]]$OwningProcess) } }
    end {
        if ($MyInvocation.ExpectingInput -and $ids.Count -eq 0) { return }
        $filters = @{ Protocol = 'UDP'; LocalAddress = $LocalAddress; LocalPort = $LocalPort; OwningProcess = $ids.ToArray() }
        Get-PortReportEndpoint @filters | ForEach-Object {
            [pscustomobject]@{
                PSTypeName    = 'PortReport.NetUDPEndpoint'
                LocalAddress  = $_.LocalAddress
                LocalPort     = [uint16]$_.LocalPort
                OwningProcess = $_.OwningProcess
                CreationTime  = $null
            }
        }
    }
}
