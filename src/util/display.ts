/**
 * Text that attackers control is shown to people in terminals and spreadsheets. These helpers make
 * it inert there without touching the stored value.
 */

// C0 controls, DEL, C1 controls (0x80-0x9F; 0x9B is a one-byte CSI), and escaped raw bytes.
const UNSAFE_DISPLAY = /[\u0000-\u001f\u007f-\u009f\udc80-\udcff]/g;

/** Render a string for a terminal: control characters and raw bytes become visible \xNN escapes. */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE_DISPLAY, (ch) => {
    let c = ch.charCodeAt(0);
    if (c >= 0xdc80) c -= 0xdc00;
    return '\\x' + c.toString(16).padStart(2, '0');
  });
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
