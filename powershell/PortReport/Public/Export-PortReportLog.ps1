function Export-PortReportLog {
    <#
    .SYNOPSIS
    Writes logs, objects or a live snapshot as Elastic Common Schema or OCSF events for a SIEM.

    .DESCRIPTION
    Export-PortReportLog writes every socket event of PortReport (and Port Reporter 1.x) logs, of
    PortReport objects from the pipeline (Get-PortReport, Import-PortReportLog) or of a live
    snapshot as newline-delimited JSON that Elastic, Splunk or Sentinel take without a custom
    parser: -Format Ecs gives Elastic Common Schema 9 documents (event.category network,
    source/destination, network.community_id, process, user, host, container; hosted services
    under portreport.*), -Format Ocsf gives OCSF 1.8.0 Network Activity events (class_uid 4001,
    activity Open, Close, Listen or Traffic; svchost services in actor.process.hosted_services).
    The file is created owner-only; an existing one is replaced only with -Force. Text that is
    not UTF-8 is written with U+FFFD and its exact bytes (base64) beside it. Long exports show
    progress.

    .PARAMETER Path
    Log folders or files; wildcards allowed; takes pipeline input by the property FullName.

    .PARAMETER LiteralPath
    Log folders or files, taken as written.

    .PARAMETER Live
    Export a snapshot of this host now.

    .PARAMETER InputObject
    PortReport.Connection or PortReport.LogRecord objects from the pipeline.

    .PARAMETER Format
    Ecs or Ocsf.

    .PARAMETER OutFile
    The NDJSON file to write.

    .PARAMETER Force
    Replace OutFile if it exists.

    .EXAMPLE
    Export-PortReportLog /var/log/portreport -Format Ecs -OutFile ./web01.ecs.ndjson

    A folder of logs as ECS documents, ready for Filebeat or the Elasticsearch bulk API.

    .EXAMPLE
    Get-PortReport -State Established | Export-PortReportLog -Format Ocsf -OutFile C:\siem\now.ocsf.ndjson

    The established connections of this moment as OCSF Network Activity events.

    .INPUTS
    Paths, objects with a FullName property, or PortReport objects.

    .OUTPUTS
    None.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName, ParameterSetName = 'Path')]
        [Alias('FullName')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'LiteralPath')]
        [Alias('PSPath', 'LP')]
        [string[]] $LiteralPath,

        [Parameter(Mandatory, ParameterSetName = 'Live')]
        [switch] $Live,

        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InputObject')]
        [psobject] $InputObject,

        [Parameter(Mandatory)]
        [ValidateSet('Ecs', 'Ocsf')]
        [string] $Format,

        [Parameter(Mandatory)]
        [string] $OutFile,

        [switch] $Force
    )

    begin {
        $inputs = New-PortReportAnalysisInput
    }
    process {
        Add-PortReportAnalysisInput -Inputs $inputs -Cmdlet $PSCmdlet -InputObject $InputObject -Path $Path -LiteralPath $LiteralPath
    }
    end {
        if (-not $Live -and $inputs.Files.Count -eq 0 -and $inputs.Objects.Count -eq 0) { return }
        $target = Resolve-PortReportInputFile -Path $OutFile -ParameterName 'OutFile' -What 'export' -Parent -Cmdlet $PSCmdlet
        if (-not $PSCmdlet.ShouldProcess($target, "Write $($Format.ToUpperInvariant()) events")) { return }
        $argv = @('--format', $Format.ToLowerInvariant(), '--out', $target) + $(if ($Force) { '--force' } else { @() })
        $common = New-PortReportAnalysisInput -Inputs $inputs -Bound $PSBoundParameters -Cmdlet $PSCmdlet
        Invoke-PortReportAnalysis -Command 'export' -ArgumentList $argv @common
    }
}
