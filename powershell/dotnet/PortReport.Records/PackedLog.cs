// The packed import format of contract 2 (src/output/packedlog.ts, docs/import.md) to LogRecord
// objects: context lines and process entries are kept, each row becomes a LogRecord with its
// process's properties, the same object the contract-1 NDJSON gives. ProcessRecord lines are
// contract-1 NDJSON. Stateful: one instance reads one stream, lines in order.
using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace PortReport
{
    public sealed class PackedLogReader
    {
        private readonly List<LogRecord?> _processes = new();
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private string? _format;
        private string? _file;
        private bool _context;

        /// <summary>True for a context line, a process entry or a row of the packed import format.</summary>
        public static bool IsPacked(string line) =>
            line.StartsWith("[", StringComparison.Ordinal) || line.StartsWith("{\"Packed\":", StringComparison.Ordinal) || line.StartsWith("{\"ProcessId\":", StringComparison.Ordinal);

        /// <summary>A LogRecord for a row; null for a context line or process entry (kept for the rows after it).</summary>
        public LogRecord? Read(string line)
        {
            if (line.StartsWith("[", StringComparison.Ordinal)) return Row(Encoding.UTF8.GetBytes(line));
            if (line.StartsWith("{\"Packed\":", StringComparison.Ordinal))
            {
                var c = JsonSerializer.Deserialize(line, RecordContext.Default.LogRecord) ?? throw new JsonException("null context");
                (_format, _file, _context) = (c.LogFormat, c.LogFile, true);
                return null;
            }
            // A bad entry still takes its number, so the rows after it never meet the wrong process.
            _processes.Add(null);
            _processes[^1] = JsonSerializer.Deserialize(line, RecordContext.Default.LogRecord) ?? throw new JsonException("null process entry");
            return null;
        }

        private LogRecord Row(byte[] line)
        {
            var r = new Utf8JsonReader(line);
            Packed.Next(ref r, JsonTokenType.StartArray);
            long n = Packed.Long(ref r) ?? 0;
            if (n < 1 || n > _processes.Count) throw new JsonException($"row refers to process entry {n}, and {_processes.Count} came before it");
            if (!_context) throw new JsonException("row before the context line");
            var p = _processes[(int)n - 1] ?? throw new JsonException($"row refers to process entry {n}, which was not readable");
            var o = new LogRecord
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
                HostName = p.HostName, LogFormat = _format, LogFile = _file,
            };
            Packed.Next(ref r, JsonTokenType.EndArray);
            return o;
        }

        private string? Name(ref Utf8JsonReader r)
        {
            var s = Packed.Text(ref r);
            if (s is null) return null;
            if (_names.TryGetValue(s, out var shared)) return shared;
            if (_names.Count < 256) _names[s] = s;
            return s;
        }
    }
}
