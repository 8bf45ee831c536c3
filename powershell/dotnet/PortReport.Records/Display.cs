// Display escaping for text that attackers control (process names, paths, users, log rows), the
// one rule every view and message of the module uses: C0 controls, DEL and C1 controls (0x9B is a
// one-byte CSI) and raw bytes (U+DC80-U+DCFF) as \xNN; bidirectional and invisible format
// characters (U+202E and friends, which reorder or hide what a terminal shows) as \u{XXXX}.
// Values themselves stay exact; only what is shown is escaped.
using System;
using System.Text;

namespace PortReport
{
    public static class Display
    {
        public static bool IsUnsafe(char c) =>
            c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xdc80 && c <= 0xdcff) || c == '\u061c' || (c >= '\u200b' && c <= '\u200f') ||
            (c >= '\u2028' && c <= '\u202e') || (c >= '\u2060' && c <= '\u2069') || c == '\ufeff';

        public static string Escape(string? s)
        {
            if (s is null) return string.Empty;
            int i = 0;
            while (i < s.Length && !IsUnsafe(s[i])) i++;
            if (i == s.Length) return s;
            var b = new StringBuilder(s.Length + 16);
            b.Append(s, 0, i);
            for (; i < s.Length; i++)
            {
                char c = s[i];
                if (!IsUnsafe(c)) b.Append(c);
                else if (c < 0x100) b.Append("\\x").Append(((int)c).ToString("x2"));
                else if (c >= 0xdc80 && c <= 0xdcff) b.Append("\\x").Append((c - 0xdc00).ToString("x2"));
                else b.Append("\\u{").Append(((int)c).ToString("x4")).Append('}');
            }
            return b.ToString();
        }

        /// <summary>A value as shown: text escaped, each element of an array escaped and on its own line.</summary>
        /// <summary>An endpoint as netstat shows it: address:port, an IPv6 address in brackets, an IPv4-mapped one as the IPv4 host it is; empty when neither is known.</summary>
        public static string EndPoint(string? address, int? port)
        {
            if (address is null && port is null) return "";
            if (address is not null && address.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase) && System.Net.IPAddress.TryParse(address.Substring(7), out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) address = address.Substring(7);
            var a = Escape(address ?? "*");
            return (a.Contains(':') ? $"[{a}]" : a) + ":" + (port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*");
        }

        public static string Text(object? v)
        {
            if (v is null) return string.Empty;
            if (v is string s) return Escape(s);
            if (v is System.Collections.IEnumerable e)
            {
                var parts = new System.Collections.Generic.List<string>();
                foreach (var x in e) parts.Add(Text(x));
                return string.Join(System.Environment.NewLine, parts);
            }
            return Escape(v.ToString());
        }
    }
}
