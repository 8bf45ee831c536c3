// NDJSON lines of the sidecar to typed objects, fast and exact: System.Text.Json's serializer with
// a string converter that unescapes by hand, so lone surrogates (the raw bytes of Linux names,
// U+DC80+byte) survive, which GetString() refuses and Newtonsoft replaces.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortReport
{
    public sealed class ExactStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"expected a string, found {reader.TokenType}");
            if (!reader.ValueIsEscaped) return reader.GetString();
            return Ndjson.Unescape(Encoding.UTF8.GetString(reader.ValueSpan));
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>ISO-8601 to local time, as Get-Process gives times: "Z" and offsets become this computer's local time; no zone (Port Reporter 1.x: the logging host's clock) stays as written.</summary>
    public sealed class RecordTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // The sidecar's own form (yyyy-MM-ddTHH:mm:ss.fffZ) without allocating; anything else parsed in full.
            if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length == 24 && Ndjson.TryUtcMillis(reader.ValueSpan, out var t)) return t.ToLocalTime();
            return Ndjson.Time(reader.GetString() ?? throw new JsonException("expected a time"));
        }

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString("o", CultureInfo.InvariantCulture));
    }

    /// <summary>Serializer metadata generated at build time: no reflection, a fast first call.</summary>
    [JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, Converters = new[] { typeof(ExactStringConverter), typeof(RecordTimeConverter) })]
    [JsonSerializable(typeof(Connection))]
    [JsonSerializable(typeof(LogRecord))]
    [JsonSerializable(typeof(ProcessRecord))]
    [JsonSerializable(typeof(LoggerStatus))]
    internal partial class RecordContext : JsonSerializerContext { }

    public static class Ndjson
    {
        /// <summary>One line to a typed record, or null with the error naming the line.</summary>
        public static object? TryConvertLine(string line, string defaultType, long lineNumber, out string? error)
        {
            error = null;
            try
            {
                object? o;
                if (line.StartsWith("{\"RecordType\":\"ProcessRecord\"", StringComparison.Ordinal)) o = JsonSerializer.Deserialize(line, RecordContext.Default.ProcessRecord);
                else if (line.StartsWith("{\"RecordType\":\"LoggerStatus\"", StringComparison.Ordinal)) o = JsonSerializer.Deserialize(line, RecordContext.Default.LoggerStatus);
                else if (line.StartsWith("{\"RecordType\":\"LogRecord\"", StringComparison.Ordinal) || defaultType == "PortReport.LogRecord") o = JsonSerializer.Deserialize(line, RecordContext.Default.LogRecord);
                else o = JsonSerializer.Deserialize(line, RecordContext.Default.Connection);
                if (o is null) throw new JsonException("null record");
                return o;
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                error = $"Sidecar output line {lineNumber}: not valid JSON: {e.Message}";
                return null;
            }
        }

        /// <summary>Parse exactly yyyy-MM-ddTHH:mm:ss.fffZ (UTF-8) as a UTC time; false for anything else.</summary>
        public static bool TryUtcMillis(ReadOnlySpan<byte> v, out DateTime t)
        {
            t = default;
            if (v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != '.' || v[23] != 'Z') return false;
            int y = Digits(v, 0, 4), mo = Digits(v, 5, 2), d = Digits(v, 8, 2), h = Digits(v, 11, 2), mi = Digits(v, 14, 2), s = Digits(v, 17, 2), ms = Digits(v, 20, 3);
            if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0) return false;
            t = new DateTime(y, mo, d, h, mi, s, ms, DateTimeKind.Utc);
            return true;
        }

        private static int Digits(ReadOnlySpan<byte> v, int i, int n)
        {
            int x = 0;
            for (int k = i; k < i + n; k++)
            {
                int d = v[k] - '0';
                if ((uint)d > 9) return -1;
                x = x * 10 + d;
            }
            return x;
        }

        public static DateTime Time(string s)
        {
            var t = DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            return t.Kind == DateTimeKind.Utc ? t.ToLocalTime() : t;
        }

        /// <summary>The body of a JSON string (no quotes) with every \uXXXX kept as that code unit.</summary>
        public static string Unescape(string raw)
        {
            var sb = new StringBuilder(raw.Length);
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c != '\\') { sb.Append(c); continue; }
                char e = raw[++i];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u': sb.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
                    default: sb.Append(e); break; // \" \\ \/
                }
            }
            return sb.ToString();
        }
    }
}
