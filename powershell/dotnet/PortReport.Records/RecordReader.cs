// Reads a child process's NDJSON output and converts it to typed records on the background thread,
// so conversion runs beside the sidecar and the PowerShell loop only hands finished objects on.
using System.Collections.Generic;
using System.IO;

namespace PortReport
{
    public sealed class RecordReader : BackgroundReader<object>
    {
        private sealed class LineError
        {
            public LineError(string message) { Message = message; }
            public string Message { get; }
        }

        /// <param name="typeName">PortReport.Connection or PortReport.LogRecord: the default record class.
        /// Connections come as contract-1 NDJSON or in the packed format of contract 2 (PackedReader).</param>
        public RecordReader(TextReader reader, string typeName, int bound = 65536)
            : base(reader, bound, "PortReport record reader", Converter(typeName)) { }

        private static System.Func<string, long, object?> Converter(string typeName)
        {
            var packed = new PackedReader();
            var packedLog = new PackedLogReader();
            return (line, n) =>
            {
                bool connection = typeName == "PortReport.Connection" && PackedReader.IsPacked(line);
                if (connection || (typeName == "PortReport.LogRecord" && PackedLogReader.IsPacked(line)))
                {
                    try { return connection ? packed.Read(line) : packedLog.Read(line); }
                    catch (System.Exception e) when (e is System.Text.Json.JsonException || e is System.FormatException || e is System.InvalidOperationException)
                    {
                        return new LineError($"Sidecar output line {n}: not a valid packed record: {e.Message}");
                    }
                }
                return Ndjson.TryConvertLine(line, typeName, n, out var error) ?? new LineError(error!);
            };
        }

        /// <summary>Up to max records: what is ready now, or waits up to timeoutMs for the first. Bad lines go to errors.</summary>
        public object[] Take(int max, int timeoutMs, List<string> errors)
        {
            var batch = TakeBatch(max, timeoutMs);
            var records = new List<object>(batch.Count);
            foreach (var item in batch)
            {
                if (item is LineError e) errors.Add(e.Message);
                else records.Add(item);
            }
            return records.ToArray();
        }
    }
}
