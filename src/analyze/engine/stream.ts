/**
 * The streaming engine: aggregations evaluated in JavaScript over rows as they come, for live
 * snapshots and small log sets. Each run() is one pass over the source, every aggregation at once.
 */
import { toJs, type Fn, type Row, type Value } from '../expr.js';
import type { Aggregation, Measure } from '../queries.js';
import { round3, sortRows, sortSet, type Engine, type ResultRow } from './types.js';

/** Rows of both tables, produced anew for each pass (a file source re-reads its files). */
export type RowSource = (sink: { ev(r: Row): void; pr(r: Row): void }) => Promise<void>;

interface Acc { add(r: Row): void; put(out: ResultRow, name: string): void }

function accumulator(m: Measure): () => Acc {
  switch (m.k) {
    case 'count': return () => { let n = 0; return { add: () => { n++; }, put: (o, k) => { o[k] = n; } }; };
    case 'countIf': { const f = toJs(m.a); return () => { let n = 0; return { add: (r) => { if (f(r) === true) n++; }, put: (o, k) => { o[k] = n; } }; }; }
    case 'countDistinct': case 'set': {
      const f = toJs(m.a);
      const isSet = m.k === 'set';
      return () => {
        const s = new Set<Value>();
        return { add: (r) => { const v = f(r) as Value; if (v !== null) s.add(v); }, put: (o, k) => { o[k] = isSet ? sortSet([...s]) : s.size; } };
      };
    }
    case 'min': case 'max': {
      const f = toJs(m.a);
      const isMin = m.k === 'min';
      return () => {
        let best: Value = null;
        return {
          add: (r) => { const v = f(r) as Value; if (v !== null && (best === null || (isMin ? v < best : v > best))) best = v; },
          put: (o, k) => { o[k] = best; },
        };
      };
    }
    case 'intervals': {
      const f = toJs(m.a);
      return () => {
        const ts: number[] = [];
        return {
          add: (r) => { const v = f(r); if (typeof v === 'number') ts.push(v); },
          put: (o, k) => {
            ts.sort((a, b) => a - b);
            const n = ts.length - 1;
            let mean: number | null = null;
            let sd: number | null = null;
            if (n > 0) {
              let sum = 0;
              for (let i = 1; i < ts.length; i++) sum += ts[i] - ts[i - 1];
              mean = sum / n;
              let sq = 0;
              for (let i = 1; i < ts.length; i++) sq += (ts[i] - ts[i - 1] - mean) ** 2;
              sd = Math.sqrt(sq / n);
            }
            o[`${k}Count`] = Math.max(n, 0);
            o[`${k}MeanMs`] = round3(mean);
            o[`${k}StdDevMs`] = round3(sd);
          },
        };
      };
    }
  }
}

class Compiled {
  private where: Fn | null;
  private keyNames: string[];
  private keyFns: Fn[];
  private measures: [string, () => Acc][];
  private groups = new Map<string, { keys: Value[]; accs: Acc[]; n: number }>();

  constructor(readonly agg: Aggregation) {
    this.where = agg.where ? toJs(agg.where) : null;
    this.keyNames = Object.keys(agg.keys);
    this.keyFns = Object.values(agg.keys).map(toJs);
    this.measures = Object.entries(agg.measures).map(([n, m]) => [n, accumulator(m)]);
  }

  add(r: Row): void {
    if (this.where && this.where(r) !== true) return;
    const keys = this.keyFns.map((f) => f(r) as Value);
    const id = JSON.stringify(keys);
    let g = this.groups.get(id);
    if (!g) { g = { keys, accs: this.measures.map(([, mk]) => mk()), n: 0 }; this.groups.set(id, g); }
    g.n++;
    for (const a of g.accs) a.add(r);
  }

  result(): ResultRow[] {
    const rows: ResultRow[] = [];
    for (const g of this.groups.values()) {
      if (this.agg.minRows && g.n < this.agg.minRows) continue;
      const o: ResultRow = {};
      this.keyNames.forEach((k, i) => { o[k] = g.keys[i]; });
      g.accs.forEach((a, i) => a.put(o, this.measures[i][0]));
      rows.push(o);
    }
    return sortRows(rows, this.keyNames);
  }
}

export class StreamEngine implements Engine {
  readonly name = 'stream' as const;
  constructor(private source: RowSource) {}

  async run(aggs: Aggregation[]): Promise<Map<string, ResultRow[]>> {
    const compiled = aggs.map((a) => new Compiled(a));
    const ev = compiled.filter((c) => c.agg.from === 'ev');
    const pr = compiled.filter((c) => c.agg.from === 'pr');
    await this.source({ ev: (r) => { for (const c of ev) c.add(r); }, pr: (r) => { for (const c of pr) c.add(r); } });
    return new Map(compiled.map((c) => [c.agg.name, c.result()]));
  }

  async close(): Promise<void> {}
}
