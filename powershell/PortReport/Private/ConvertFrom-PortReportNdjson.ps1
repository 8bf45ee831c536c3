function ConvertFrom-PortReportNdjson {
    <#
    .SYNOPSIS
    Turns a batch of NDJSON lines from the sidecar into objects with a PSTypeName, through
    ConvertFrom-Json (the compiled record types are converted by PortReport.RecordReader instead,
    see Invoke-PortReportSidecar). Strings stay strings (-DateKind String: a command line that
    looks like a date is not converted); the named date properties become local [datetime]s (as
    the compiled types give them); lists of text become PortReport.TextList (Export-Csv keeps their
    items); OwningProcess and ExecutableName are added as the compiled types have them; text
    holding raw bytes is restored exactly from the record's Utf16 member. A bad line is an error
    naming its line number.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Collections.Generic.List[string]] $Line,
        [Parameter(Mandatory)] [string] $TypeName,
        [string[]] $DateProperty = @(),
        [string] $TypeProperty,
        [Parameter(Mandatory)] $State,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $objects = $null
    try {
        $objects = ConvertFrom-Json -InputObject ('[' + ($Line -join ',') + ']') -DateKind String -Depth 16 -ErrorAction Stop
    } catch {
        # One bad line spoils the batch: parse line by line to keep every good record.
        $objects = for ($i = 0; $i -lt $Line.Count; $i++) {
            try { ConvertFrom-Json -InputObject $Line[$i] -DateKind String -Depth 16 -ErrorAction Stop }
            catch {
                $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.FormatException]::new("Sidecar output line $($State.Line + $i + 1): not valid JSON: $($_.Exception.Message)"),
                    'PortReport.BadSidecarOutput', [System.Management.Automation.ErrorCategory]::ParserError, $Line[$i]))
            }
        }
    }
    $State.Line += $Line.Count
    foreach ($o in $objects) {
        foreach ($p in $DateProperty) {
            $prop = $o.PSObject.Properties[$p]
            if ($prop -and $prop.Value -is [string]) {
                $prop.Value = [PortReport.Ndjson]::Time($prop.Value)
            }
        }
        # Exact text: ConvertFrom-Json turns the lone surrogates that stand for raw bytes into U+FFFD,
        # so the sidecar also sends those properties as UTF-16 code units (docs/record.md).
        $exact = $o.PSObject.Properties['Utf16']
        if ($exact) {
            foreach ($p in $exact.Value.PSObject.Properties) {
                $o.($p.Name) = if ($p.Value[0] -is [System.Collections.IList]) {
                    , [string[]]@(foreach ($units in $p.Value) { [string]::new([char[]][int[]]$units) })
                } else {
                    [string]::new([char[]][int[]]$p.Value)
                }
            }
            $o.PSObject.Properties.Remove('Utf16')
        }
        foreach ($p in @($o.PSObject.Properties)) {
            if ($p.Value -is [object[]] -and -not @($p.Value | Where-Object { $_ -isnot [string] })) { $p.Value = [PortReport.TextList]::new([string[]]$p.Value) }
        }
        if ($o.PSObject.Properties['ProcessId']) { $o.PSObject.Properties.Add([psnoteproperty]::new('OwningProcess', [PortReport.Record]::Owning($o.ProcessId))) }
        if ($o.PSObject.Properties['ExecutablePath']) { $o.PSObject.Properties.Add([psnoteproperty]::new('ExecutableName', [PortReport.Record]::FileName($o.ExecutablePath))) }
        $tn = $TypeName
        if ($TypeProperty) {
            $tp = $o.PSObject.Properties[$TypeProperty]
            if ($tp -and $tp.Value) { $tn = "PortReport.$($tp.Value)" }
        }
        # Every PortReport object is also a PortReport.Record (shared display helpers).
        $o.PSObject.TypeNames.Insert(0, 'PortReport.Record')
        $o.PSObject.TypeNames.Insert(0, $tn)
        $o
    }
}
