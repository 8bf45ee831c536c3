#!/usr/bin/env node
// Derives the field definitions the SIEM export tests validate against (test/fixtures/siem/) from
// the public schemas, pinned by tag: OCSF 1.8.0 (github.com/ocsf/ocsf-schema, the Network Activity
// class with its parents, the host profile, every object it reaches and the Windows extension's
// process attributes, each attribute's type resolved to its base type and its requirement) and
// ECS 9.0.0 (github.com/elastic/ecs, generated/csv/fields.csv: the field sets the export uses).
//   node scripts/siem-schemas.mjs OCSF_REPO ECS_REPO
// The fixtures are committed; this is how they were made and how to make them for another version.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [ocsfRepo, ecsRepo] = process.argv.slice(2);
if (!ocsfRepo || !ecsRepo) { console.error('usage: node scripts/siem-schemas.mjs OCSF_REPO ECS_REPO'); process.exit(2); }
const OCSF_TAG = '1.8.0';
const ECS_TAG = 'v9.0.0';
const out = join(new URL('..', import.meta.url).pathname, 'test', 'fixtures', 'siem');

const show = (repo, tag, path) => execFileSync('git', ['-C', repo, 'show', `${tag}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
const json = (path) => JSON.parse(show(ocsfRepo, OCSF_TAG, path));
const commit = (repo, tag) => execFileSync('git', ['-C', repo, 'rev-list', '-n1', tag], { encoding: 'utf8' }).trim();

const dict = json('dictionary.json');
const winDict = json('extensions/windows/dictionary.json');
const attrs = { ...dict.attributes, ...winDict.attributes };
const baseType = (t) => { let x = t; for (let i = 0; i < 10 && dict.types.attributes[x]?.type; i++) x = dict.types.attributes[x].type; return x; };

/** Attributes of a class or object file, parents first, $include and extension files merged. */
function collect(file, seen = new Set()) {
  const d = json(file);
  let merged = {};
  if (d.extends) {
    const parent = file.startsWith('events/') ? findEvent(d.extends) : objectFile(d.extends);
    merged = collect(parent, seen);
  }
  const own = { ...d.attributes };
  const includes = [].concat(own.$include ?? []);
  delete own.$include;
  for (const inc of includes) {
    const p = json(inc);
    if (p.meta === 'profile' || inc.startsWith('profiles/')) continue;
    for (const [k, v] of Object.entries(p.attributes ?? {})) merged[k] = { ...merged[k], ...v };
  }
  // Enums of a child add to its parent's (OCSF's extends merges them).
  for (const [k, v] of Object.entries(own)) merged[k] = { ...merged[k], ...v, ...(merged[k]?.enum && v.enum ? { enum: { ...merged[k].enum, ...v.enum } } : {}) };
  return merged;
}
function objectFile(name) {
  for (const p of [`objects/${name}.json`, `extensions/windows/objects/${name}.json`]) {
    try { json(p); return p; } catch { /* next */ }
  }
  throw new Error(`no object ${name}`);
}
function findEvent(name) {
  for (const p of ['events/base_event.json', `events/${name}.json`, `events/network/${name}.json`]) {
    try { const d = json(p); if (d.name === name) return p; } catch { /* next */ }
  }
  throw new Error(`no event class ${name}`);
}

function resolve(merged) {
  const r = {};
  for (const [k, v] of Object.entries(merged)) {
    const a = attrs[k] ?? {};
    const type = v.type ?? a.type;
    const obj = type === 'object_t' ? (v.object_type ?? a.object_type) : (attrs[k]?.type && !attrs[k].type.endsWith('_t') ? attrs[k].type : null);
    const def = { type: obj ? 'object_t' : baseType(type), requirement: v.requirement ?? 'optional' };
    if (obj) def.object_type = obj;
    else if (dict.types.attributes[type]?.regex && type !== def.type) def.regex = dict.types.attributes[type].regex;
    if (type && type !== def.type && !obj) def.logical_type = type;
    if (v.is_array ?? a.is_array) def.is_array = true;
    if (v.enum ?? a.enum) def.enum = Object.keys({ ...a.enum, ...v.enum }).map(Number).sort((x, y) => x - y);
    r[k] = def;
  }
  return r;
}

const classAttrs = collect('events/network/network_activity.json');
const host = json('profiles/host.json').attributes;
for (const [k, v] of Object.entries(host)) classAttrs[k] = { ...classAttrs[k], ...v, profile: 'host' };
const cls = resolve(classAttrs);
// The class's identifiers: in the raw schema they are computed (category uid * 1000 + class uid; type_uid = class_uid * 100 + activity_id).
cls.class_uid.enum = [4001];
cls.category_uid.enum = [4];
cls.type_uid.enum = cls.activity_id.enum.map((a) => 400100 + a);
const objects = {};
const todo = Object.values(cls).filter((a) => a.object_type).map((a) => a.object_type);
while (todo.length) {
  const name = todo.shift();
  if (objects[name]) continue;
  const merged = collect(objectFile(name));
  if (name === 'process') {
    for (const [k, v] of Object.entries(json('extensions/windows/objects/process.json').attributes)) merged[k] = { ...merged[k], ...v, extension: 'win' };
  }
  objects[name] = resolve(merged);
  for (const a of Object.values(objects[name])) if (a.object_type && !objects[a.object_type]) todo.push(a.object_type);
}
const ext = json('extensions/windows/extension.json');
writeFileSync(join(out, `ocsf-${OCSF_TAG}-network_activity.json`), JSON.stringify({
  source: `github.com/ocsf/ocsf-schema ${OCSF_TAG} (${commit(ocsfRepo, OCSF_TAG)}), derived by scripts/siem-schemas.mjs`,
  version: OCSF_TAG, class_uid: 4001, category_uid: 4, extensions: { win: { uid: ext.uid, version: ext.version } },
  class: cls, objects,
}, null, 1) + '\n');

// ECS: the rows of the field sets the export writes.
const SETS = new Set(['base', 'ecs', 'event', 'source', 'destination', 'network', 'process', 'user', 'host', 'container', 'related']);
const csv = show(ecsRepo, ECS_TAG, 'generated/csv/fields.csv').split('\n');
const keep = [csv[0], ...csv.slice(1).filter((l) => SETS.has(l.split(',')[2]))];
writeFileSync(join(out, `ecs-${ECS_TAG.slice(1)}-fields.csv`), `# github.com/elastic/ecs ${ECS_TAG} (${commit(ecsRepo, ECS_TAG)}) generated/csv/fields.csv, the field sets ${[...SETS].join(', ')}; derived by scripts/siem-schemas.mjs\n${keep.join('\n')}\n`);
// The categorization fields' allowed values (and each category's expected types), from ecs_flat.yml.
const flat = show(ecsRepo, ECS_TAG, 'generated/ecs/ecs_flat.yml').split('\n');
const allowed = {};
for (const field of ['event.kind', 'event.category', 'event.type']) {
  const start = flat.indexOf(`${field}:`);
  const values = {};
  let types = [];
  for (let i = start + 1; i < flat.length && (flat[i].startsWith(' ') || flat[i] === ''); i++) {
    const name = /^    name: (\S+)$/.exec(flat[i]);
    const type = /^    - (\S+)$/.exec(flat[i]);
    if (type) types.push(type[1]);
    if (name) { values[name[1]] = types; types = []; }
    if (/^  [a-z_]+:/.test(flat[i]) && !flat[i].startsWith('  allowed_values')) break;
  }
  allowed[field] = values;
}
writeFileSync(join(out, `ecs-${ECS_TAG.slice(1)}-allowed.json`), JSON.stringify({ source: `github.com/elastic/ecs ${ECS_TAG} generated/ecs/ecs_flat.yml allowed_values; derived by scripts/siem-schemas.mjs`, ...allowed }, null, 1) + '\n');
console.log(`wrote ${out}`);
