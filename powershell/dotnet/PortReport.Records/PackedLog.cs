// The packed import format of contract 2 (src/output/packedlog.ts, docs/import.md) to LogRecord
// objects (PackedStream, Packed.cs): each row becomes a LogRecord with its process's properties,
// the same object the contract-1 NDJSON gives. ProcessRecord lines are contract-1 NDJSON.
using System.Text.Json;

namespace PortReport
{
    public sealed class PackedLogReader : PackedStream<LogRecord, LogRecord>
    {
        private string? _format;
        private string? _file;

        protected override void Context(string line)
        {
            var c = JsonSerializer.Deserialize(line, RecordContext.Default.LogRecord) ?? throw new JsonException("null context");
            (_format, _file) = (c.LogFormat, c.LogFile);
        }

        protected override LogRecord? Entry(string line) => JsonSerializer.Deserialize(line, RecordContext.Default.LogRecord);

        protected override LogRecord Row(ref Utf8JsonReader r, LogRecord p) => new LogRecord
        {
            RecordType = "LogRecord",
            Time = Packed.Time(ref r), Event = Name(ref r), Protocol = Name(ref r), AddressFamily = Name(ref r),
            LocalAddress = Packed.Text(ref r), LocalPort = (int?)Packed.Long(ref r), RemoteAddress = Packed.Text(ref r), RemotePort = (int?)Packed.Long(ref r),
            State = Name(ref r), PreviousState = Name(ref r), OwnerStatus = Name(ref r), FirstSeen = Packed.Time(ref r), LastSeen = Packed.Time(ref r),
            DurationSeconds = Packed.Double(ref r), BytesSent = Packed.Long(ref r), BytesReceived = Packed.Long(ref r), Source = Name(ref r),
            Message = Packed.Text(ref r), LogLine = Packed.Long(ref r) ?? 0,
            ProcessId = p.ProcessId, ProcessStartTime = p.ProcessStartTime, ProcessName = p.ProcessName, ExecutablePath = p.ExecutablePath,
            CommandLine = p.CommandLine, UserName = p.UserName, UserId = p.UserId, ServiceName = p.ServiceName, IsService = p.IsService,
            // Each object gets its own list: changing one object's Modules changes no other.
            Modules = p.Modules is null ? null : new TextList(p.Modules),
            HostName = p.HostName, ContainerId = p.ContainerId, ContainerName = p.ContainerName, LogFormat = _format, LogFile = _file,
        };
    }
}
