// Typed PortReport objects: PowerShell sees their .NET type names (PortReport.Connection, ...),
// which the format and type data of the module use. Property names are the NDJSON contract's.
using System;

namespace PortReport
{
    /// <summary>Base of every PortReport object (the module's display helpers attach here).</summary>
    public abstract class Record { }

    public sealed class LinuxExtension
    {
        public long Inode { get; set; }
        public string? Cookie { get; set; }
        public long SocketUid { get; set; }
        public string? CgroupPath { get; set; }
        public string? NetNamespace { get; set; }
        public string? Source { get; set; }
        public override string ToString() => $"Inode={Inode}; Cookie={Cookie}; Source={Source}";
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
        public string? ProcessName { get; set; }
        public string? ExecutablePath { get; set; }
        public string? CommandLine { get; set; }
        public int? ParentProcessId { get; set; }
        public DateTime? ProcessStartTime { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public string? ServiceName { get; set; }
        public bool IsService { get; set; }
        public string[]? Modules { get; set; }
        public string? ExecutableSha256 { get; set; }
        public long? BytesSent { get; set; }
        public long? BytesReceived { get; set; }
        public string? OwnerStatus { get; set; }
        public string? HostName { get; set; }
        public DateTime ObservedAt { get; set; }
        public string? Platform { get; set; }
        public LinuxExtension? Linux { get; set; }
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
        public DateTime? ProcessStartTime { get; set; }
        public string? ProcessName { get; set; }
        public string? ExecutablePath { get; set; }
        public string? CommandLine { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public string? ServiceName { get; set; }
        public bool? IsService { get; set; }
        public string[]? Modules { get; set; }
        public string? OwnerStatus { get; set; }
        public DateTime? FirstSeen { get; set; }
        public DateTime? LastSeen { get; set; }
        public double? DurationSeconds { get; set; }
        public long? BytesSent { get; set; }
        public long? BytesReceived { get; set; }
        public string? Source { get; set; }
        public string? HostName { get; set; }
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
        public DateTime? ProcessStartTime { get; set; }
        public string? ProcessName { get; set; }
        public string? ExecutablePath { get; set; }
        public string? CommandLine { get; set; }
        public int? ParentProcessId { get; set; }
        public string? UserName { get; set; }
        public string? UserId { get; set; }
        public string? ServiceName { get; set; }
        public bool? IsService { get; set; }
        public string? ExecutableSha256 { get; set; }
        public string[]? Modules { get; set; }
        public string? HostName { get; set; }
        public string? Message { get; set; }
        public string? LogFormat { get; set; }
        public string? LogFile { get; set; }
        public long LogLine { get; set; }
    }
}
