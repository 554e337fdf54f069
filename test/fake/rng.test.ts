import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, randomHex, randomUrlSafe } from '../../src/fake/rng.js';

describe('rng', () => {
  it('replays the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('next() stays in [0, 1)', () => {
    const rng = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('derived streams differ from each other and from the seed stream', () => {
    expect(new Set([7, deriveSeed(7, 1), deriveSeed(7, 2)]).size).toBe(3);
  });

  it('makes url-safe and hex strings of the asked length', () => {
    const rng = createRng(3);
    expect(randomUrlSafe(rng, 137)).toMatch(/^[A-Za-z0-9_-]{137}$/);
    expect(randomHex(rng, 32)).toMatch(/^[0-9a-f]{32}$/);
  });
});
