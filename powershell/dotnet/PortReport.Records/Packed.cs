// The packed formats of contract 2 (src/output/packed.ts, packedlog.ts; docs/record.md,
// docs/import.md): a context line, numbered process entries, and positional rows that refer to
// them. PackedStream keeps the context and entries and checks each row's reference; PackedReader
// (snapshots, Connection) and PackedLogReader (imports, LogRecord, PackedLog.cs) read the rows
// into the same objects the contract-1 NDJSON gives. Stateful: one instance reads one stream,
// lines in order (RecordReader's background thread).
using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace PortReport
{
    public abstract class PackedStream<TEntry, TRecord> where TEntry : class where TRecord : class
    {
        private readonly List<TEntry?> _entries = new();
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private bool _context;

        /// <summary>True for a line of a packed format (a context line, a process entry or a row).</summary>
        public static bool IsPacked(string line) =>
            line.StartsWith("[", StringComparison.Ordinal) || line.StartsWith("{\"Packed\":", StringComparison.Ordinal) || line.StartsWith("{\"ProcessId\":", StringComparison.Ordinal);

        /// <summary>The record of a row; null for a context line or process entry (kept for the rows after it).</summary>
        public TRecord? Read(string line)
        {
            if (line.StartsWith("[", StringComparison.Ordinal))
            {
                var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
                Packed.Next(ref r, JsonTokenType.StartArray);
                long n = Packed.Long(ref r) ?? 0;
                if (n < 1 || n > _entries.Count) throw new JsonException($"row refers to process entry {n}, and {_entries.Count} came before it");
                if (!_context) throw new JsonException("row before the context line");
                var entry = _entries[(int)n - 1] ?? throw new JsonException($"row refers to process entry {n}, which was not readable");
                var record = Row(ref r, entry);
                Packed.Next(ref r, JsonTokenType.EndArray);
                return record;
            }
            if (line.StartsWith("{\"Packed\":", StringComparison.Ordinal))
            {
                Context(line);
                _context = true;
                return null;
            }
            // A bad entry still takes its number, so the rows after it never meet the wrong process.
            _entries.Add(null);
            _entries[^1] = Entry(line) ?? throw new JsonException("null process entry");
            return null;
        }

        protected abstract void Context(string line);
        protected abstract TEntry? Entry(string line);
        /// <summary>The rest of a row after its entry number (the closing bracket is checked after it).</summary>
        protected abstract TRecord Row(ref Utf8JsonReader r, TEntry entry);

        /// <summary>A name from a small set (protocol, state, status, source): one shared string each.</summary>
        protected string? Name(ref Utf8JsonReader r)
        {
            var s = Packed.Text(ref r);
            if (s is null) return null;
            if (_names.TryGetValue(s, out var shared)) return shared;
            if (_names.Count < 256) _names[s] = s;
            return s;
        }
    }

    public sealed class PackedReader : PackedStream<Connection, Connection>
    {
        private string? _host;
        private DateTime _observedAt;
        private string? _platform;

        protected override void Context(string line)
        {
            var c = JsonSerializer.Deserialize(line, RecordContext.Default.Connection) ?? throw new JsonException("null context");
            (_host, _observedAt, _platform) = (c.HostName, c.ObservedAt, c.Platform);
        }

        protected override Connection? Entry(string line) => JsonSerializer.Deserialize(line, RecordContext.Default.Connection);

        protected override Connection Row(ref Utf8JsonReader r, Connection p)
        {
            var c = new Connection
            {
                Protocol = Name(ref r), AddressFamily = Name(ref r), LocalAddress = Packed.Text(ref r), LocalPort = Packed.Int(ref r),
                RemoteAddress = Packed.Text(ref r), RemotePort = Packed.Int(ref r), State = Name(ref r),
                ProcessId = p.ProcessId, ProcessName = p.ProcessName, ExecutablePath = p.ExecutablePath, CommandLine = p.CommandLine,
                ParentProcessId = p.ParentProcessId, ProcessStartTime = p.ProcessStartTime, UserName = p.UserName, UserId = p.UserId,
                ServiceName = p.ServiceName, IsService = p.IsService, ExecutableSha256 = p.ExecutableSha256,
                // Each object gets its own list: changing one object's Modules changes no other.
                Modules = p.Modules is null ? null : new TextList(p.Modules),
                BytesSent = Packed.Long(ref r), BytesReceived = Packed.Long(ref r), OwnerStatus = Name(ref r),
                HostName = _host, ObservedAt = _observedAt, Platform = _platform,
            };
            if (!r.Read()) throw new JsonException("row ends early");
            if (r.TokenType == JsonTokenType.StartArray)
            {
                c.Linux = new LinuxExtension
                {
                    Inode = Packed.Long(ref r) ?? 0, Cookie = Packed.Text(ref r), SocketUid = Packed.Long(ref r) ?? 0, Source = Name(ref r),
                    CgroupPath = p.Linux?.CgroupPath, NetNamespace = p.Linux?.NetNamespace,
                    ContainerId = p.Linux?.ContainerId, ContainerName = p.Linux?.ContainerName, ContainerRuntime = p.Linux?.ContainerRuntime, PodUid = p.Linux?.PodUid,
                };
                Packed.Next(ref r, JsonTokenType.EndArray);
            }
            else if (r.TokenType == JsonTokenType.StartObject)
            {
                c.Windows = JsonSerializer.Deserialize(ref r, RecordContext.Default.WindowsExtension);
            }
            else if (r.TokenType != JsonTokenType.Null) throw new JsonException($"row's extension is a {r.TokenType}");
            return c;
        }
    }

    /// <summary>Reading the positional rows of the packed formats (Utf8JsonReader, one value at a time).</summary>
    public static class Packed
    {
        public static void Next(ref Utf8JsonReader r, JsonTokenType want)
        {
            if (!r.Read() || r.TokenType != want) throw new JsonException($"expected {want} in a packed row");
        }

        public static int Int(ref Utf8JsonReader r)
        {
            if (!r.Read() || r.TokenType != JsonTokenType.Number) throw new JsonException("expected a number in a packed row");
            return r.GetInt32();
        }

        public static long? Long(ref Utf8JsonReader r)
        {
            if (!r.Read()) throw new JsonException("row ends early");
            if (r.TokenType == JsonTokenType.Null) return null;
            if (r.TokenType != JsonTokenType.Number) throw new JsonException("expected a number in a packed row");
            return r.GetInt64();
        }

        public static string? Text(ref Utf8JsonReader r)
        {
            if (!r.Read()) throw new JsonException("row ends early");
            if (r.TokenType == JsonTokenType.Null) return null;
            if (r.TokenType != JsonTokenType.String) throw new JsonException("expected a string in a packed row");
            return r.ValueIsEscaped ? Ndjson.Unescape(Encoding.UTF8.GetString(r.ValueSpan)) : r.GetString();
        }

        public static double? Double(ref Utf8JsonReader r)
        {
            if (!r.Read()) throw new JsonException("row ends early");
            if (r.TokenType == JsonTokenType.Null) return null;
            if (r.TokenType != JsonTokenType.Number) throw new JsonException("expected a number in a packed row");
            return r.GetDouble();
        }

        /// <summary>A time as RecordTimeConverter reads it: ISO-8601 to local time; no zone stays as written.</summary>
        public static DateTime? Time(ref Utf8JsonReader r)
        {
            if (!r.Read()) throw new JsonException("row ends early");
            if (r.TokenType == JsonTokenType.Null) return null;
            if (r.TokenType != JsonTokenType.String) throw new JsonException("expected a time in a packed row");
            if (!r.ValueIsEscaped && r.ValueSpan.Length == 24 && Ndjson.TryUtcMillis(r.ValueSpan, out var t)) return t.ToLocalTime();
            return Ndjson.Time(r.GetString()!);
        }
    }
}
