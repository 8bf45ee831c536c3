/**
 * Text that attackers control is shown to people in terminals and spreadsheets. These helpers make
 * it inert there without touching the stored value.
 */

// C0 controls, DEL, C1 controls (0x80-0x9F; 0x9B is a one-byte CSI), escaped raw bytes, and the
// bidirectional and invisible format characters (U+202E and friends reorder or hide what is shown).
// The module's PortReport.Display applies the same rule.
const UNSAFE_DISPLAY = /[\u0000-\u001f\u007f-\u009f\udc80-\udcff\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Render a string for a terminal: controls and raw bytes as \xNN, format characters as \u{XXXX}. */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE_DISPLAY, (ch) => {
    let c = ch.charCodeAt(0);
    if (c >= 0xdc80 && c <= 0xdcff) c -= 0xdc00;
    return c < 0x100 ? '\\x' + c.toString(16).padStart(2, '0') : `\\u{${c.toString(16).padStart(4, '0')}}`;
  });
}

/** A value quoted in a message: at most 200 characters of it (a message must not carry a megabyte). */
export function quoted(s: string, max = 200): string {
  return `"${s.length > max ? `${s.slice(0, max)}…(${s.length} characters)` : s}"`;
}

/**
 * Spreadsheet formula injection guard for text cells (OWASP "CSV injection"). A cell that begins with
 * = + - @ TAB or CR is prefixed with a single quote; a cell that already begins with a quote gets
 * one more, so the transform is exactly reversible with unguardFormula().
 */
export function guardFormula(s: string): string {
  if (s.length === 0) return s;
  const c = s.charCodeAt(0);
  // = + - @ ' TAB CR
  if (c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x27 || c === 0x09 || c === 0x0d) {
    return "'" + s;
  }
  return s;
}

/** Inverse of guardFormula(). */
export function unguardFormula(s: string): string {
  return s.charCodeAt(0) === 0x27 ? s.slice(1) : s;
}
