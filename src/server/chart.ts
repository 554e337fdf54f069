/**
 * The state chart of a machine, laid out on the server for the offline dashboard: nodes and edges
 * from `toDirectedGraph` (xstate/graph) plus the eventless (`always`) transitions it leaves out,
 * ranked top to bottom by longest path with back edges set aside, and SVG path data per edge.
 * The dashboard only draws what it gets here (spec/stack.md §1 "Offline graph for a dashboard").
 */
import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';

export interface ChartNode {
  /** Full state id (`client.idle`). */
  id: string;
  /** The state's key (`idle`): what `ClientView.state` names. */
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
  initial: boolean;
  final: boolean;
  /** Has eventless transitions only: a decision, never a resting state. */
  transient: boolean;
}

export interface ChartEdge {
  from: string;
  to: string;
  /** Event types (or `[guard]` for eventless transitions), one per label line. */
  labels: string[];
  kind: 'forward' | 'back' | 'self';
  eventless: boolean;
  /** SVG path data, ending on the target's border. */
  path: string;
  labelX: number;
  labelY: number;
}

export interface Chart {
  id: string;
  width: number;
  height: number;
  nodes: ChartNode[];
  edges: ChartEdge[];
  /** Transitions the root handles in every state: `{ event, to }` (`to` null for a self transition). */
  global: Array<{ event: string; to: string | null }>;
}

const NODE_W = 104;
const NODE_H = 38;
const COL_GAP = 150;
const ROW_GAP = 100;
const MARGIN = 48;
/** Room on the right for self-loop labels. */
const RIGHT_ROOM = 120;

interface RawEdge {
  from: string;
  to: string;
  label: string;
  eventless: boolean;
}

type GraphNode = ReturnType<typeof toDirectedGraph>;

function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  if (guard && typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return '';
}

/** Ranks by longest path from the initial state, ignoring edges that close a cycle (DFS order). */
function rank(ids: string[], initial: string | undefined, edges: RawEdge[]): Map<string, number> {
  const out = new Map<string, string[]>();
  for (const e of edges) if (e.from !== e.to) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const back = new Set<string>();
  const color = new Map<string, 'grey' | 'black'>();
  const visit = (id: string) => {
    color.set(id, 'grey');
    for (const to of out.get(id) ?? []) {
      if (color.get(to) === 'grey') back.add(`${id}\u0000${to}`);
      else if (!color.has(to)) visit(to);
    }
    color.set(id, 'black');
  };
  if (initial) visit(initial);
  const reachable = new Set(color.keys());
  for (const id of ids) if (!color.has(id)) visit(id);
  const ranks = new Map<string, number>(ids.map((id) => [id, 0]));
  // Longest path over the acyclic rest: relax |V| times (a machine has a handful of states).
  for (let pass = 0; pass < ids.length; pass++) {
    for (const e of edges) {
      if (e.from === e.to || back.has(`${e.from}\u0000${e.to}`)) continue;
      const r = (ranks.get(e.from) ?? 0) + 1;
      if (r > (ranks.get(e.to) ?? 0)) ranks.set(e.to, r);
    }
  }
  // States only the root's transitions reach (stopped) go below everything else.
  const last = Math.max(0, ...[...ranks].filter(([id]) => reachable.has(id)).map(([, r]) => r));
  for (const id of ids) if (initial && !reachable.has(id)) ranks.set(id, last + 1);
  return ranks;
}

/** The point where the segment from `p` toward the center of `n` meets `n`'s border. */
function border(n: ChartNode, px: number, py: number): [number, number] {
  const cx = n.x + n.w / 2;
  const cy = n.y + n.h / 2;
  const dx = px - cx;
  const dy = py - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const t = Math.min(
    dx === 0 ? Infinity : n.w / 2 / Math.abs(dx),
    dy === 0 ? Infinity : n.h / 2 / Math.abs(dy),
  );
  return [cx + dx * t, cy + dy * t];
}

const r1 = (v: number) => Math.round(v * 10) / 10;

function edgePath(
  a: ChartNode,
  b: ChartNode,
  kind: ChartEdge['kind'],
): Pick<ChartEdge, 'path' | 'labelX' | 'labelY'> {
  if (kind === 'self') {
    const x0 = a.x + a.w;
    const y0 = a.y + a.h * 0.25;
    const y1 = a.y + a.h * 0.75;
    return {
      path: `M ${x0} ${y0} C ${x0 + 46} ${y0 - 16}, ${x0 + 46} ${y1 + 16}, ${x0} ${y1}`,
      labelX: x0 + 44,
      labelY: a.y + a.h / 2,
    };
  }
  const ax = a.x + a.w / 2;
  const ay = a.y + a.h / 2;
  const bx = b.x + b.w / 2;
  const by = b.y + b.h / 2;
  const len = Math.hypot(bx - ax, by - ay) || 1;
  // Forward and back edges between the same pair bow to opposite sides.
  const bow = kind === 'back' ? -34 : 18;
  const cx = (ax + bx) / 2 + (-(by - ay) / len) * bow;
  const cy = (ay + by) / 2 + ((bx - ax) / len) * bow;
  const [sx, sy] = border(a, cx, cy);
  const [ex, ey] = border(b, cx, cy);
  return {
    path: `M ${r1(sx)} ${r1(sy)} Q ${r1(cx)} ${r1(cy)}, ${r1(ex)} ${r1(ey)}`,
    labelX: r1(0.25 * sx + 0.5 * cx + 0.25 * ex),
    labelY: r1(0.25 * sy + 0.5 * cy + 0.25 * ey),
  };
}

/**
 * Lays out the top-level states of a machine.
 * @example
 * ```ts
 * import { clientMachine } from '../../machines/client.js';
 * const chart = machineChart(clientMachine); // JSON for the dashboard
 * ```
 */
export function machineChart(machine: AnyStateMachine): Chart {
  const graph = toDirectedGraph(machine);
  const root = machine.root;
  const children: GraphNode[] = graph.children;
  const ids = children.map((c) => c.id);
  const raw: RawEdge[] = [];
  for (const child of children) {
    for (const e of child.edges)
      raw.push({ from: e.source.id, to: e.target.id, label: e.label.text, eventless: false });
    for (const t of child.stateNode.always ?? []) {
      for (const target of t.target ?? []) {
        const guard = guardName(t.guard);
        raw.push({ from: child.id, to: target.id, label: guard ? `[${guard}]` : '[else]', eventless: true });
      }
    }
  }
  const initial = root.initial?.target?.[0]?.id;
  const ranks = rank(ids, initial, raw);
  const rows = new Map<number, string[]>();
  for (const id of ids) rows.set(ranks.get(id)!, [...(rows.get(ranks.get(id)!) ?? []), id]);
  const widest = Math.max(...[...rows.values()].map((r) => r.length));
  const width = MARGIN * 2 + (widest - 1) * COL_GAP + NODE_W + RIGHT_ROOM;
  const nodes = new Map<string, ChartNode>();
  for (const [r, row] of rows) {
    const rowWidth = (row.length - 1) * COL_GAP + NODE_W;
    row.forEach((id, i) => {
      const stateNode = children.find((c) => c.id === id)!.stateNode;
      nodes.set(id, {
        id,
        key: stateNode.key,
        x: (width - RIGHT_ROOM - rowWidth) / 2 + i * COL_GAP,
        y: MARGIN + r * ROW_GAP,
        w: NODE_W,
        h: NODE_H,
        initial: id === initial,
        final: stateNode.type === 'final',
        transient:
          (stateNode.always?.length ?? 0) > 0 && stateNode.on && Object.keys(stateNode.on).length === 0,
      });
    });
  }
  // One edge per (from, to, eventless): the events that take it, stacked.
  const merged = new Map<string, RawEdge & { labels: string[] }>();
  for (const e of raw) {
    const k = `${e.from}\u0000${e.to}\u0000${e.eventless}`;
    const m = merged.get(k);
    if (m) {
      if (!m.labels.includes(e.label)) m.labels.push(e.label);
    } else merged.set(k, { ...e, labels: [e.label] });
  }
  const edges: ChartEdge[] = [...merged.values()].map((e) => {
    const a = nodes.get(e.from)!;
    const b = nodes.get(e.to)!;
    const kind: ChartEdge['kind'] =
      e.from === e.to ? 'self' : ranks.get(e.to)! > ranks.get(e.from)! ? 'forward' : 'back';
    return {
      from: e.from,
      to: e.to,
      labels: e.labels,
      kind,
      eventless: e.eventless,
      ...edgePath(a, b, kind),
    };
  });
  const global = graph.edges.map((e) => ({
    event: e.label.text,
    to: e.target.id === graph.id ? null : e.target.id,
  }));
  const height = MARGIN * 2 + Math.max(...ranks.values()) * ROW_GAP + NODE_H;
  return { id: graph.id, width, height, nodes: [...nodes.values()], edges, global };
}
