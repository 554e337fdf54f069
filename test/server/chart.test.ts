/**
 * machineChart(clientMachine): every state a node, eventless transitions drawn, ranks top to bottom
 * from the initial state, and no two nodes overlapping.
 */
import { describe, expect, it } from 'vitest';
import { clientMachine } from '../../machines/client.js';
import { machineChart } from '../../src/server/index.js';

describe('machineChart', () => {
  const chart = machineChart(clientMachine);
  const node = (key: string) => chart.nodes.find((n) => n.key === key)!;

  it('has a node per top-level state, the initial one on top and the final one at the bottom', () => {
    expect(chart.nodes).toHaveLength(Object.keys(clientMachine.root.states).length);
    expect(node('booting')).toMatchObject({ initial: true, transient: true });
    expect(node('deciding').transient).toBe(true);
    expect(node('stopped').final).toBe(true);
    expect(Math.min(...chart.nodes.map((n) => n.y))).toBe(node('booting').y);
    expect(Math.max(...chart.nodes.map((n) => n.y))).toBe(node('stopped').y);
  });

  it('draws eventless transitions with their guards, and merges events between the same states', () => {
    const edge = (from: string, to: string, eventless: boolean) =>
      chart.edges.find(
        (e) => e.from === `client.${from}` && e.to === `client.${to}` && e.eventless === eventless,
      );
    expect(edge('deciding', 'refreshing', true)?.labels).toEqual(['[hasQueue]']);
    expect(edge('deciding', 'idle', true)?.labels).toEqual(['[else]']);
    expect(edge('refreshing', 'deciding', false)?.labels).toEqual(['REFRESH_DONE', 'REFRESH_FAILED']);
    expect(edge('idle', 'deciding', false)?.kind).toBe('back');
    expect(edge('refreshing', 'refreshing', false)?.kind).toBe('self');
    for (const e of chart.edges) expect(e.path).toMatch(/^M [\d.-]+ [\d.-]+ [QC] /);
  });

  it('lists the root transitions every state takes', () => {
    expect(chart.global).toContainEqual({ event: 'STOP', to: 'client.stopped' });
  });

  it('places nodes inside the canvas without overlap', () => {
    for (const a of chart.nodes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(chart.width);
      expect(a.y + a.h).toBeLessThanOrEqual(chart.height);
      for (const b of chart.nodes) {
        if (a === b) continue;
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `${a.key} / ${b.key}`).toBe(true);
      }
    }
  });
});
