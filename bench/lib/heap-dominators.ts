// Retained sizes in a V8 heap snapshot (.heapsnapshot): the dominator tree (Cooper, Harvey and
// Kennedy's iterative algorithm over a post-order), then the largest retainers from the root
// down, and the total retained by the app's main objects (all instances of a class together).
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const CLASSES = ['HistoryStore', 'HostCollector', 'ShellRunner', 'WarnEngine', 'TaskService', 'Fleet', 'EventHub'];

export function summariseRetainers(file: string, minMb = 1.5, depth = 4): string {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const { node_fields: nf, node_types: nt, edge_fields: ef, edge_types: et } = s.snapshot.meta;
  const NF = nf.length;
  const EF = ef.length;
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as [
    number,
    number,
    number,
    number,
  ];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const N = s.nodes.length / NF;
  const at = (a: number[], i: number) => a[i] as number;
  const first = new Uint32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) {
    first[i] = e;
    e += at(s.nodes, i * NF + iEdges) * EF;
    first[i + 1] = e;
  }
  // weak and shortcut edges do not retain
  const skip = new Set([et[0].indexOf('weak'), et[0].indexOf('shortcut')]);
  const targets = (v: number) => {
    const out: number[] = [];
    for (let e = first[v] as number; e < (first[v + 1] as number); e += EF)
      if (!skip.has(at(s.edges, e + eType))) out.push(at(s.edges, e + eTo) / NF);
    return out;
  };
  // post-order from the root (node 0), iteratively
  const order = new Int32Array(N).fill(-1);
  const post: number[] = [];
  const seen = new Uint8Array(N);
  const stack: { v: number; kids: number[]; k: number }[] = [{ v: 0, kids: targets(0), k: 0 }];
  seen[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1] as { v: number; kids: number[]; k: number };
    if (top.k < top.kids.length) {
      const w = top.kids[top.k++] as number;
      if (!seen[w]) {
        seen[w] = 1;
        stack.push({ v: w, kids: targets(w), k: 0 });
      }
    } else {
      stack.pop();
      order[top.v] = post.length;
      post.push(top.v);
    }
  }
  const preds: number[][] = Array.from({ length: N }, () => []);
  for (const v of post) for (const w of targets(v)) (preds[w] as number[]).push(v);
  const idom = new Int32Array(N).fill(-1);
  idom[0] = 0;
  const meet = (a: number, b: number) => {
    while (a !== b) {
      while ((order[a] as number) < (order[b] as number)) a = idom[a] as number;
      while ((order[b] as number) < (order[a] as number)) b = idom[b] as number;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = post.length - 2; k >= 0; k--) {
      const v = post[k] as number;
      let d = -1;
      for (const u of preds[v] as number[]) if (idom[u] !== -1) d = d === -1 ? u : meet(u, d);
      if (d !== idom[v]) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(N);
  const kids = new Map<number, number[]>();
  for (const v of post) {
    retained[v] = (retained[v] as number) + at(s.nodes, v * NF + iSize);
    if (v === 0) continue;
    const d = idom[v] as number;
    retained[d] = (retained[d] as number) + (retained[v] as number);
    const list = kids.get(d);
    if (list) list.push(v);
    else kids.set(d, [v]);
  }
  const name = (v: number) =>
    `${nt[0][at(s.nodes, v * NF + iType)]}:${(s.strings[at(s.nodes, v * NF + iName)] ?? '').slice(0, 60)}`;
  const edgeName = (from: number, to: number) => {
    for (let e = first[from] as number; e < (first[from + 1] as number); e += EF) {
      if (at(s.edges, e + eTo) / NF !== to) continue;
      const kind = et[0][at(s.edges, e + eType)];
      const n = at(s.edges, e + eName);
      return kind === 'element' || kind === 'hidden' ? `[${n}]` : (s.strings[n] ?? '?');
    }
    return '?';
  };
  const mb = (b: number) => (b / 2 ** 20).toFixed(1).padStart(6);
  const lines: string[] = [`total ${mb(retained[0] as number)} MB`];
  const show = (v: number, d: number, indent: string) => {
    const big = (kids.get(v) ?? []).filter((k) => (retained[k] as number) >= minMb * 2 ** 20);
    for (const k of big.sort((a, b) => (retained[b] as number) - (retained[a] as number)).slice(0, 12)) {
      lines.push(`${indent}${mb(retained[k] as number)} MB ${edgeName(v, k)} -> ${name(k)}`);
      if (d < depth) show(k, d + 1, `${indent}  `);
    }
  };
  show(0, 1, '');
  for (const cls of CLASSES) {
    let sum = 0;
    let count = 0;
    for (let v = 0; v < N; v++) {
      if (!seen[v] || name(v) !== `object:${cls}`) continue;
      let a = idom[v] as number;
      while (a !== 0 && name(a) !== `object:${cls}`) a = idom[a] as number;
      if (a !== 0) continue; // inside another instance: counted there
      sum += retained[v] as number;
      count++;
    }
    lines.push(`${cls}: ${count} retaining ${mb(sum)} MB`);
  }
  return lines.join('\n') + '\n';
}
