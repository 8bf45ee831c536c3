#Requires -Version 7.5
# The module's compiled reader of the packed snapshot format (contract 2, docs/record.md): literal
# lines in, the same PortReport.Connection objects as the contract-1 NDJSON of the same records.

BeforeAll {
    $script:Module = $env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')
    Import-Module $Module -Force

    function script:Read-Lines([string[]] $Lines) {
        $reader = [PortReport.RecordReader]::new([System.IO.StringReader]::new(($Lines -join "`n") + "`n"), 'PortReport.Connection')
        $errors = [System.Collections.Generic.List[string]]::new()
        $records = [System.Collections.Generic.List[object]]::new()
        while (-not $reader.IsCompleted) { $records.AddRange($reader.Take(4096, 200, $errors)) }
        [pscustomobject]@{ Records = $records.ToArray(); Errors = $errors.ToArray() }
    }

    $proc = '"ProcessId":42,"ProcessName":"ss\"h\nd","ExecutablePath":"/usr/sbin/\udcffsshd","CommandLine":"sshd \u001b[2J","ParentProcessId":1,"ProcessStartTime":"2026-11-29T10:00:00.000Z","UserName":"root","UserId":"0","ServiceName":"ssh.service","IsService":true,"Modules":["/lib/libc.so.6","/tmp/\udc80.so"],"ExecutableSha256":null'
    $script:Packed = @(
        '{"Packed":2,"HostName":"h","ObservedAt":"2026-11-29T11:00:00.000Z","Platform":"Linux"}'
        "{$proc,`"Linux`":{`"CgroupPath`":`"/system.slice/ssh.service`",`"NetNamespace`":`"net:[1]`"}}"
        '[1,"TCP","IPv6","::1",22,"::1",50000,"Established",10,20,"Known",[7,"123",0,"netlink"]]'
        '{"ProcessId":null,"ProcessName":null,"ExecutablePath":null,"CommandLine":null,"ParentProcessId":null,"ProcessStartTime":null,"UserName":null,"UserId":null,"ServiceName":null,"IsService":false,"Modules":null,"ExecutableSha256":null,"Linux":{"CgroupPath":null,"NetNamespace":null}}'
        '[2,"TCP","IPv4","127.0.0.1",8080,"127.0.0.1",41000,"TimeWait",null,null,"NoInode",[0,null,0,"netlink"]]'
        '[1,"UDP","IPv4","0.0.0.0",5353,"0.0.0.0",0,"Bound",null,null,"Known",[8,"124",0,"procfs"]]'
    )
    $script:Plain = @(
        "{`"Protocol`":`"TCP`",`"AddressFamily`":`"IPv6`",`"LocalAddress`":`"::1`",`"LocalPort`":22,`"RemoteAddress`":`"::1`",`"RemotePort`":50000,`"State`":`"Established`",$proc,`"BytesSent`":10,`"BytesReceived`":20,`"OwnerStatus`":`"Known`",`"HostName`":`"h`",`"ObservedAt`":`"2026-11-29T11:00:00.000Z`",`"Platform`":`"Linux`",`"Linux`":{`"Inode`":7,`"Cookie`":`"123`",`"SocketUid`":0,`"CgroupPath`":`"/system.slice/ssh.service`",`"NetNamespace`":`"net:[1]`",`"Source`":`"netlink`"}}"
        '{"Protocol":"TCP","AddressFamily":"IPv4","LocalAddress":"127.0.0.1","LocalPort":8080,"RemoteAddress":"127.0.0.1","RemotePort":41000,"State":"TimeWait","ProcessId":null,"ProcessName":null,"ExecutablePath":null,"CommandLine":null,"ParentProcessId":null,"ProcessStartTime":null,"UserName":null,"UserId":null,"ServiceName":null,"IsService":false,"Modules":null,"ExecutableSha256":null,"BytesSent":null,"BytesReceived":null,"OwnerStatus":"NoInode","HostName":"h","ObservedAt":"2026-11-29T11:00:00.000Z","Platform":"Linux","Linux":{"Inode":0,"Cookie":null,"SocketUid":0,"CgroupPath":null,"NetNamespace":null,"Source":"netlink"}}'
        "{`"Protocol`":`"UDP`",`"AddressFamily`":`"IPv4`",`"LocalAddress`":`"0.0.0.0`",`"LocalPort`":5353,`"RemoteAddress`":`"0.0.0.0`",`"RemotePort`":0,`"State`":`"Bound`",$proc,`"BytesSent`":null,`"BytesReceived`":null,`"OwnerStatus`":`"Known`",`"HostName`":`"h`",`"ObservedAt`":`"2026-11-29T11:00:00.000Z`",`"Platform`":`"Linux`",`"Linux`":{`"Inode`":8,`"Cookie`":`"124`",`"SocketUid`":0,`"CgroupPath`":`"/system.slice/ssh.service`",`"NetNamespace`":`"net:[1]`",`"Source`":`"procfs`"}}"
    )
    $script:Compare = {
        param($a, $b)
        foreach ($p in 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'ProcessId', 'OwningProcess',
            'ProcessName', 'ExecutablePath', 'ExecutableName', 'CommandLine', 'ParentProcessId', 'ProcessStartTime', 'UserName', 'UserId', 'ServiceName',
            'IsService', 'ExecutableSha256', 'BytesSent', 'BytesReceived', 'OwnerStatus', 'HostName', 'ObservedAt', 'Platform') {
            $a.$p | Should -Be $b.$p -Because $p
        }
        ($a.Modules -join '|') | Should -BeExactly ($b.Modules -join '|')
        foreach ($p in 'Inode', 'Cookie', 'SocketUid', 'CgroupPath', 'NetNamespace', 'Source') { $a.Linux.$p | Should -Be $b.Linux.$p -Because "Linux.$p" }
    }
}

Describe 'the packed reader (contract 2)' {
    It 'gives the same objects as the contract-1 NDJSON of the same records, raw bytes kept exactly' {
        $packed = Read-Lines $Packed
        $plain = Read-Lines $Plain
        $packed.Errors | Should -BeNullOrEmpty
        $packed.Records.Count | Should -Be 3
        $plain.Records.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) { & $Compare $packed.Records[$i] $plain.Records[$i] }
        $packed.Records[0].GetType().FullName | Should -Be 'PortReport.Connection'
        $packed.Records[0].ExecutablePath.ToCharArray() | ForEach-Object { [int]$_ } | Should -Contain 0xDCFF
        $packed.Records[0].ProcessStartTime.Kind | Should -Be 'Local'
    }

    It 'gives each object its own module list' {
        $r = (Read-Lines $Packed).Records
        $r[0].Modules.Add('/extra.so')
        $r[2].Modules | Should -Not -Contain '/extra.so'
    }

    It 'reports a bad process entry and the rows that refer to it, and attributes the rows after it correctly' {
        $bad = @($Packed[0], $Packed[1], '{"ProcessId":"not a number"', '[2,"TCP","IPv4","127.0.0.1",1,"127.0.0.1",2,"Listen",null,null,"Known",null]', $Packed[2], '[3,"TCP","IPv4","127.0.0.1",1,"127.0.0.1",2,"Listen",null,null,"Known",null]', '[1,"TCP"]')
        $r = Read-Lines $bad
        $r.Records.Count | Should -Be 1
        $r.Records[0].ProcessId | Should -Be 42
        $r.Errors.Count | Should -Be 4
        $r.Errors[0] | Should -Match '^Sidecar output line 3: '
        $r.Errors[1] | Should -Match 'line 4: .*process entry 2, which was not readable'
        $r.Errors[2] | Should -Match 'line 6: .*process entry 3, and 2 came before it'
        $r.Errors[3] | Should -Match 'line 7: '
    }
}

Describe 'the packed import reader (contract 2)' {
    It 'gives the same LogRecord objects as the contract-1 NDJSON, raw bytes and local times kept' {
        $proc = '"ProcessId":42,"ProcessStartTime":"2026-11-29T09:00:00.000Z","ProcessName":"<script>","ExecutablePath":"/tmp/\udcffx","CommandLine":"a\nb","UserName":"www-data","UserId":"33","ServiceName":null,"IsService":false,"Modules":["/lib/a.so"],"HostName":"web01"'
        $lines = @(
            '{"Packed":2,"LogFormat":"PortReport/1","LogFile":"/logs/portreport-connections-v1-a.csv"}'
            "{$proc}"
            '[1,"2026-11-29T10:00:00.000Z","Close","TCP","IPv4","10.0.0.1",443,"10.0.0.2",50000,"Closed","Established","Known","2026-11-29T09:59:58.000Z",null,1.5,10,null,"destroy","note \udcfe",3]'
            '{"RecordType":"ProcessRecord","Time":"2026-11-29T10:00:00.000Z","Event":"Seen","ProcessId":42,"ProcessName":"x","LogFormat":"PortReport/1","LogFile":"/logs/p.csv","LogLine":2}'
        )
        $plain = "{`"RecordType`":`"LogRecord`",`"Time`":`"2026-11-29T10:00:00.000Z`",`"Event`":`"Close`",`"Protocol`":`"TCP`",`"AddressFamily`":`"IPv4`",`"LocalAddress`":`"10.0.0.1`",`"LocalPort`":443,`"RemoteAddress`":`"10.0.0.2`",`"RemotePort`":50000,`"State`":`"Closed`",`"PreviousState`":`"Established`",$proc,`"OwnerStatus`":`"Known`",`"FirstSeen`":`"2026-11-29T09:59:58.000Z`",`"LastSeen`":null,`"DurationSeconds`":1.5,`"BytesSent`":10,`"BytesReceived`":null,`"Source`":`"destroy`",`"Message`":`"note \udcfe`",`"LogFormat`":`"PortReport/1`",`"LogFile`":`"/logs/portreport-connections-v1-a.csv`",`"LogLine`":3}"
        $read = {
            param([string[]] $l)
            $reader = [PortReport.RecordReader]::new([System.IO.StringReader]::new(($l -join "`n") + "`n"), 'PortReport.LogRecord')
            $errors = [System.Collections.Generic.List[string]]::new()
            $out = [System.Collections.Generic.List[object]]::new()
            while (-not $reader.IsCompleted) { $out.AddRange($reader.Take(4096, 200, $errors)) }
            $errors | Should -BeNullOrEmpty
            , $out.ToArray()
        }
        $a = & $read $lines
        $b = & $read @($plain)
        $a.Count | Should -Be 2
        $a[1].GetType().FullName | Should -Be 'PortReport.ProcessRecord'
        foreach ($p in $b[0].PSObject.Properties.Name) { "$($a[0].$p)" | Should -BeExactly "$($b[0].$p)" -Because $p }
        $a[0].Message.ToCharArray() | ForEach-Object { [int]$_ } | Should -Contain 0xDCFE
        $a[0].Time.Kind | Should -Be 'Local'
    }
}
