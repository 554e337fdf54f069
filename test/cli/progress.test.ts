/**
 * The start-up progress bar: redrawn in place on a terminal, a line per tenth elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/index.js';

describe('ProgressBar', () => {
  it('renders the count and the share', () => {
    const bar = new ProgressBar({ write: () => true }, 1000, 'starting clients', 10);
    bar.tick(600);
    expect(bar.render()).toBe('starting clients [######----] 600/1000 60%');
  });

  it('writes a line per tenth when not on a terminal, then the full bar once', () => {
    const lines: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => lines.push(t) }, 10_000);
    for (let i = 0; i < 10_000; i++) bar.tick();
    bar.finish();
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toMatch(/10000\/10000 100%\n$/);
  });

  it('redraws in place on a terminal and ends the line when finished', () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => out.push(t), isTTY: true }, 3);
    bar.tick();
    bar.finish(' (1 retrying)');
    expect(out[0].startsWith('\r')).toBe(true);
    expect(out.at(-1)).toMatch(/3\/3 100% \(1 retrying\)\n$/);
  });
});
