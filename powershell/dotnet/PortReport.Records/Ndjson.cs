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

    /// <summary>ISO-8601: "Z" stays UTC, an offset becomes UTC, no offset stays as written.</summary>
    public sealed class RecordTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Ndjson.Time(reader.GetString() ?? throw new JsonException("expected a time"));

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString("o", CultureInfo.InvariantCulture));
    }

    public static class Ndjson
    {
        private static readonly JsonSerializerOptions Options = new()
        {
            Converters = { new ExactStringConverter(), new RecordTimeConverter() },
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };

        /// <summary>Convert lines; a bad line becomes an entry in errors. RecordType picks the class.</summary>
        public static object[] Convert(IList<string> lines, string defaultType, List<string> errors, long firstLine)
        {
            var result = new List<object>(lines.Count);
            for (int i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                try
                {
                    object? o;
                    if (line.StartsWith("{\"RecordType\":\"ProcessRecord\"", StringComparison.Ordinal)) o = JsonSerializer.Deserialize<ProcessRecord>(line, Options);
                    else if (line.StartsWith("{\"RecordType\":\"LogRecord\"", StringComparison.Ordinal) || defaultType == "PortReport.LogRecord") o = JsonSerializer.Deserialize<LogRecord>(line, Options);
                    else o = JsonSerializer.Deserialize<Connection>(line, Options);
                    if (o is null) throw new JsonException("null record");
                    result.Add(o);
                }
                catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
                {
                    errors.Add($"Sidecar output line {firstLine + i + 1}: not valid JSON: {e.Message}");
                }
            }
            return result.ToArray();
        }

        public static DateTime Time(string s)
        {
            var t = DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            return t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
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
