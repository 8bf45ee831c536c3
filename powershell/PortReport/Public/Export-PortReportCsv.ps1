function Export-PortReportCsv {
    <#
    .SYNOPSIS
    Writes PortReport objects to a CSV file that is safe to open in a spreadsheet.

    .DESCRIPTION
    Export-PortReportCsv writes what Export-Csv would, guarded against formula injection ("CSV
    injection"): process names, paths, command lines and user names are chosen by whoever runs a
    process, and a cell such as =HYPERLINK(...), +cmd|..., @SUM(1) or -2+3 would run as a formula
    in Excel or LibreOffice. Every text cell that begins with = + - @ a tab, a carriage return or a
    single quote gets one leading single quote, which spreadsheets show as text (the guard is
    exactly reversible: drop one leading quote to get the value back). Arrays
    (Modules) are written one element a line inside their cell, not as System.String[].
    Use it instead of Export-Csv for anything a person will open in a spreadsheet; the CSV logs
    that Port Reporter writes are guarded the same way.

    .PARAMETER InputObject
    The objects to write (Get-PortReport, Import-PortReportLog, the analysis cmdlets, or any object).

    .PARAMETER Path
    The CSV file to write. Relative paths are resolved against the current location.

    .PARAMETER NoClobber
    Do not replace an existing file.

    .PARAMETER Encoding
    The file's encoding (default UTF-8 without a byte-order mark; utf8BOM helps older Excel).

    .EXAMPLE
    Get-PortReport | Export-PortReportCsv -Path ./sockets.csv

    Every socket, safe to open in a spreadsheet.

    .EXAMPLE
    Import-PortReportLog /var/log/portreport -ProcessName svchost* | Export-PortReportCsv svchost.csv -Encoding utf8BOM

    .INPUTS
    Any object.

    .OUTPUTS
    None.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [psobject] $InputObject,

        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string] $Path,

        [switch] $NoClobber,

        [ValidateSet('utf8', 'utf8BOM', 'utf8NoBOM', 'unicode', 'ascii')]
        [string] $Encoding = 'utf8NoBOM'
    )
    begin {
        $target = Resolve-PortReportInputFile -Path $Path -ParameterName 'Path' -What 'CSV file' -Parent -Cmdlet $PSCmdlet
        $rows = [System.Collections.Generic.List[object]]::new()
        $guard = {
            param($v)
            if ($null -eq $v) { return $null }
            if ($v -is [string]) { return ConvertTo-PortReportCsvCell $v }
            if ($v -is [System.Collections.IEnumerable]) { return ConvertTo-PortReportCsvCell (@($v | ForEach-Object { "$_" }) -join "`n") }
            if ($v -is [datetime]) { return $v.ToString('o') }
            $v
        }
    }
    process {
        $o = [ordered]@{}
        foreach ($p in $InputObject.PSObject.Properties) {
            if (-not $p.IsGettable -or $p.Name -eq 'Utf16' -or $p.MemberType -notin 'Property', 'NoteProperty', 'AliasProperty') { continue }
            $o[$p.Name] = & $guard $p.Value
        }
        $rows.Add([pscustomobject]$o)
    }
    end {
        if (-not $PSCmdlet.ShouldProcess($target, "Write $($rows.Count) rows as spreadsheet-safe CSV")) { return }
        $rows | Export-Csv -LiteralPath $target -NoClobber:$NoClobber -Encoding $Encoding -UseQuotes AsNeeded
    }
}
