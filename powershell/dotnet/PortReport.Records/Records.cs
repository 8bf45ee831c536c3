// Typed PortReport objects: PowerShell sees their .NET type names (PortReport.Connection, ...),
// which the format and type data of the module use. Property names are the NDJSON contract's.
// They behave like PowerShell's own: times are local [datetime]s (as Get-Process's StartTime),
// OwningProcess is a uint32 that is 0 when no process is known (as MSFT_NetTCPConnection's),
// ExecutableName is the file name beside ProcessName (the name Get-Process shows), and lists
// print their items (one a line) where Export-Csv calls ToString().
using System;
using System.Collections.Generic;

namespace PortReport
{
    /// <summary>Base of every PortReport object (the module's display helpers attach here).</summary>
    public abstract class Record
    {
        /// <summary>The last component of a path: '/' only for a Unix path (its names may hold '\'), '/' and '\' otherwise.</summary>
        public static string? FileName(string? path)
        {
            if (string.IsNullOrEmpty(path)) return null;
            int i = path[0] == '/' ? path.LastIndexOf('/') : path.LastIndexOfAny(new[] { '/', '\\' });
            return i < 0 ? path : path.Substring(i + 1);
        }

        public static uint Owning(int? pid) => pid is int p && p > 0 ? (uint)p : 0;
    }

    /// <summary>A list of text (module paths) whose ToString() is its items one a line, so Export-Csv keeps them.</summary>
    public sealed class TextList : List<string>
    {
        public TextList() { }
        public TextList(IEnumerable<string> items) : base(items) { }
        public override string ToString() => string.Join("\n", this);
    }

    public sealed class LinuxExtension
    {
        public long Inode { get; set; }
        public string? Cookie { get; set; }
        public long SocketUid { get; set; }
        public string? CgroupPath { get; set; }
        public string? NetNamespace { get; set; }
        public string? ContainerId { get; set; }
        public string? ContainerName { get; set; }
        public string? ContainerRuntime { get; set; }
        public string? PodUid { get; set; }
        public string? Source { get; set; }
        public override string ToString() => $"Inode={Inode}; Cookie={Cookie}; Source={Source}" + (ContainerId is null ? "" : $"; Container={ContainerRuntime}:{ContainerId}");
    }

    public sealed class WindowsExtension
    {
        public DateTime? CreationTime { get; set; }
        public string[]? HostedServices { get; set; }
        public string? OwningService { get; set; }
        public string? OwningModule { get; set; }
        public int? SessionId { get; set; }
        public long LocalScopeId { get; set; }
        public long RemoteScopeId { get; set; }
        public string? Source { get; set; }
        public string[]? Denied { get; set; }
        public override string ToString() => $"Services={string.Join(", ", HostedServices ?? Array.Empty<string>())}; Session={SessionId}; Source={Source}";
    }

    public sealed class Connection : Record
    {
        public string? Protocol { get; set; }
        public string? AddressFamily { get; set; }
        public string? LocalAddress { get; set; }
        public int LocalPort { get; set; }
        public string? RemoteAddress { get; set; }
        public int RemotePort { get; set; }
        public string? State { get; set; }
        public int? ProcessId { get; set; }
        public uint OwningProcess => Owning(ProcessId);
        public string? ProcessName { get; set; }
        public string? ExecutablePath { get; set; }
        public string? ExecutableName => FileName(ExecutablePath);
        public string? CommandLine { get; set; }
        public int? ParentProcessId { get; set; }
        public DateTime? ProcessStartTime { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public string? ServiceName { get; set; }
        public bool IsService { get; set; }
        public TextList? Modules { get; set; }
        public string? ExecutableSha256 { get; set; }
        public long? BytesSent { get; set; }
        public long? BytesReceived { get; set; }
        public string? OwnerStatus { get; set; }
        public string? HostName { get; set; }
        public DateTime ObservedAt { get; set; }
        public string? Platform { get; set; }
        public LinuxExtension? Linux { get; set; }
        public WindowsExtension? Windows { get; set; }
        /// <summary>The container the owning process runs in (Linux: from its cgroup), null on the host.</summary>
        public string? ContainerId => Linux?.ContainerId;
        /// <summary>That container's name, from its runtime's files (Linux), when they are there.</summary>
        public string? ContainerName => Linux?.ContainerName;
    }

    public sealed class LogRecord : Record
    {
        public string? RecordType { get; set; }
        public DateTime? Time { get; set; }
        public string? Event { get; set; }
        public string? Protocol { get; set; }
        public string? AddressFamily { get; set; }
        public string? LocalAddress { get; set; }
        public int? LocalPort { get; set; }
        public string? RemoteAddress { get; set; }
        public int? RemotePort { get; set; }
        public string? State { get; set; }
        public string? PreviousState { get; set; }
        public int? ProcessId { get; set; }
        public uint OwningProcess => Owning(ProcessId);
        public DateTime? ProcessStartTime { get; set; }
        public string? ProcessName { get; set; }
        public string? ExecutablePath { get; set; }
        public string? ExecutableName => FileName(ExecutablePath);
        public string? CommandLine { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public string? ServiceName { get; set; }
        public bool? IsService { get; set; }
        public TextList? Modules { get; set; }
        public string? OwnerStatus { get; set; }
        public DateTime? FirstSeen { get; set; }
        public DateTime? LastSeen { get; set; }
        public double? DurationSeconds { get; set; }
        public long? BytesSent { get; set; }
        public long? BytesReceived { get; set; }
        public string? Source { get; set; }
        public string? HostName { get; set; }
        /// <summary>The container of the process (Linux logs written since container identity was added); null on the host.</summary>
        public string? ContainerId { get; set; }
        public string? ContainerName { get; set; }
        public string? Message { get; set; }
        public string? LogFormat { get; set; }
        public string? LogFile { get; set; }
        public long LogLine { get; set; }
    }

    public sealed class ProcessRecord : Record
    {
        public string? RecordType { get; set; }
        public DateTime? Time { get; set; }
        public string? Event { get; set; }
        public int? ProcessId { get; set; }
        public uint OwningProcess => Owning(ProcessId);
        public DateTime? ProcessStartTime { get; set; }
        public string? ProcessName { get; set; }
        public string? ExecutablePath { get; set; }
        public string? ExecutableName => FileName(ExecutablePath);
        public string? CommandLine { get; set; }
        public int? ParentProcessId { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public string? ServiceName { get; set; }
        public bool? IsService { get; set; }
        public string? ExecutableSha256 { get; set; }
        public TextList? Modules { get; set; }
        public string? HostName { get; set; }
        /// <summary>The container of the process (Linux logs written since container identity was added); null on the host.</summary>
        public string? ContainerId { get; set; }
        public string? ContainerName { get; set; }
        public string? Message { get; set; }
        public string? LogFormat { get; set; }
        public string? LogFile { get; set; }
        public long LogLine { get; set; }
    }

    /// <summary>What a log folder says about its logger (portreport status).</summary>
    public sealed class LoggerStatus : Record
    {
        public string? RecordType { get; set; }
        public string? LogPath { get; set; }
        public bool Running { get; set; }
        public int? ProcessId { get; set; }
        public DateTime? LockedSince { get; set; }
        public DateTime? LastWrite { get; set; }
        public DateTime? LastStart { get; set; }
        public DateTime? LastStop { get; set; }
        public string? StopReason { get; set; }
        public DateTime? LastGap { get; set; }
        public string? GapMessage { get; set; }
    }
}
