/** A name pattern with * and ? wildcards, matched case-insensitively against the whole name. */
export function wildcard(p: string): RegExp {
  const esc = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`, 'is');
}
