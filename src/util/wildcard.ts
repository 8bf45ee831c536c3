/**
 * A name pattern with * (any run) and ? (any one character), matched case-insensitively against
 * the whole name. Matched without regular expressions, in O(name × pattern) time at worst
 * (greedy, remembering only the last *), so no pattern costs exponential backtracking, and a
 * pattern of any length compiles.
 */
export interface NamePattern { readonly source: string; test(name: string): boolean }

export function wildcard(p: string): NamePattern {
  // Runs of * are one *; the pattern is folded once.
  const pat = p.toLowerCase().replace(/\*+/g, '*');
  return { source: p, test: (name: string) => matchFolded(pat, name.toLowerCase()) };
}

function matchFolded(p: string, s: string): boolean {
  let i = 0; // in s
  let j = 0; // in p
  let star = -1; // position in p after the last *
  let mark = 0; // where in s that * began to match
  while (i < s.length) {
    const c = p.charCodeAt(j);
    if (j < p.length && (c === 63 /* ? */ || c === s.charCodeAt(i)) && c !== 42) { i++; j++; }
    else if (j < p.length && c === 42 /* * */) { star = ++j; mark = i; }
    else if (star >= 0) { j = star; i = ++mark; }
    else return false;
  }
  while (j < p.length && p.charCodeAt(j) === 42) j++;
  return j === p.length;
}

/** The file name of a path: after the last '/' for a Unix path (its names may hold '\'), after '/' or '\' otherwise. */
export function fileName(path: string): string {
  return path.slice((path.startsWith('/') ? path.lastIndexOf('/') : Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))) + 1);
}

/**
 * Whether a process filter (-ProcessName) takes this process: its name as Get-Process shows it
 * (python3), or its executable's file name (python3.11).
 */
export function processMatches(patterns: NamePattern[], name: string | null, path: string | null): boolean {
  const file = path ? fileName(path.replace(/ \(deleted\)$/, '')) : null;
  return patterns.some((n) => (name !== null && n.test(name)) || (file !== null && file !== name && n.test(file)));
}
