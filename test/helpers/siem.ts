/**
 * Validation of SIEM documents against the field definitions of the pinned schema versions
 * (test/fixtures/siem, derived from the public schemas by scripts/siem-schemas.mjs): every field
 * is defined, of its type, and every required field is there. Returns the problems found.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { FIXTURES } from './procs.js';

const DIR = join(FIXTURES, 'siem');

const ECS_FIELDS = new Map(readFileSync(join(DIR, 'ecs-9.0.0-fields.csv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).slice(1)
  .map((l) => { const c = l.split(','); return [c[3], c[4]] as const; }));
const ECS_ALLOWED = JSON.parse(readFileSync(join(DIR, 'ecs-9.0.0-allowed.json'), 'utf8')) as Record<string, Record<string, string[]>>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function ecsType(type: string, v: Json): boolean {
  switch (type) {
    case 'keyword': case 'wildcard': case 'text': case 'match_only_text': case 'constant_keyword': return typeof v === 'string';
    case 'long': case 'integer': case 'short': case 'byte': case 'unsigned_long': return typeof v === 'number' && Number.isInteger(v);
    case 'float': case 'double': case 'scaled_float': case 'half_float': return typeof v === 'number';
    case 'date': return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'ip': return typeof v === 'string' && isIP(v) !== 0;
    case 'boolean': return typeof v === 'boolean';
    default: return false;
  }
}

/** ECS 9.0.0: every field outside portreport.* defined and of its type; @timestamp and ecs.version present; categorization values allowed. */
export function ecsProblems(doc: Record<string, Json>): string[] {
  const out: string[] = [];
  const walk = (o: Record<string, Json>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const path = prefix + k;
      if (path === 'portreport') continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) { walk(v, `${path}.`); continue; }
      const type = ECS_FIELDS.get(path);
      if (!type) { out.push(`${path}: not an ECS field`); continue; }
      for (const x of Array.isArray(v) ? v : [v]) if (!ecsType(type, x)) out.push(`${path}: ${JSON.stringify(x)} is not of type ${type}`);
      const allowed = ECS_ALLOWED[path];
      if (allowed) for (const x of Array.isArray(v) ? v : [v]) if (!(String(x) in allowed)) out.push(`${path}: ${JSON.stringify(x)} is not an allowed value`);
    }
  };
  walk(doc, '');
  for (const req of ['@timestamp', 'ecs.version']) if (!req.split('.').reduce<Json>((o, k) => (o && typeof o === 'object' && !Array.isArray(o) ? o[k] ?? null : null), doc)) out.push(`${req}: missing`);
  const cats = (doc.event as Record<string, Json> | undefined)?.category as string[] | undefined;
  const types = (doc.event as Record<string, Json> | undefined)?.type as string[] | undefined;
  for (const c of cats ?? []) for (const t of types ?? []) if (!(ECS_ALLOWED['event.category'][c] ?? []).includes(t)) out.push(`event.type ${t} is not expected for event.category ${c}`);
  return out;
}

interface Attr { type: string; requirement: string; object_type?: string; is_array?: boolean; enum?: number[]; regex?: string }
const OCSF = JSON.parse(readFileSync(join(DIR, 'ocsf-1.8.0-network_activity.json'), 'utf8')) as { class: Record<string, Attr>; objects: Record<string, Record<string, Attr>> };

function ocsfScalar(a: Attr, v: Json): boolean {
  switch (a.type) {
    case 'string_t': return typeof v === 'string' && (!a.regex || new RegExp(a.regex).test(v));
    case 'integer_t': case 'long_t': return typeof v === 'number' && Number.isInteger(v);
    case 'float_t': return typeof v === 'number';
    case 'boolean_t': return typeof v === 'boolean';
    case 'json_t': return true;
    default: return false;
  }
}

/** OCSF 1.8.0 Network Activity: every attribute defined (unmapped free), of its type and enum, every required one present, at every level. */
export function ocsfProblems(ev: Record<string, Json>): string[] {
  const out: string[] = [];
  const check = (o: Record<string, Json>, defs: Record<string, Attr>, path: string) => {
    for (const [k, v] of Object.entries(o)) {
      const a = defs[k];
      const p = path + k;
      if (!a) { out.push(`${p}: not an attribute here`); continue; }
      if (k === 'unmapped') continue;
      const items = a.is_array ? (Array.isArray(v) ? v : (out.push(`${p}: not an array`), [])) : [v];
      for (const x of items) {
        if (a.type === 'object_t') {
          if (x === null || typeof x !== 'object' || Array.isArray(x)) { out.push(`${p}: not an object`); continue; }
          check(x, OCSF.objects[a.object_type!] ?? {}, `${p}.`);
        } else if (!ocsfScalar(a, x)) out.push(`${p}: ${JSON.stringify(x)} is not of type ${a.type}`);
        else if (a.enum && !a.enum.includes(x as number)) out.push(`${p}: ${x} is not one of its enum values`);
      }
    }
    for (const [k, a] of Object.entries(defs)) if (a.requirement === 'required' && !(k in o)) out.push(`${path}${k}: required, missing`);
  };
  check(ev, OCSF.class, '');
  return out;
}
