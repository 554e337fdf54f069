/**
 * The fake's only source of randomness: a seeded mulberry32 generator, so one seed gives the same
 * token strings, rids and fault decisions on every run (spec/wechat-api.md §7.5 "Seeded RNG").
 */

/** A deterministic pseudo-random generator. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  uint32(): number;
}

/**
 * Creates a mulberry32 generator: tiny, fast and good enough for test data (not for cryptography).
 * @param seed any integer; only its low 32 bits are used.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { uint32, next: () => uint32() / 4294967296 };
}

/**
 * A second, independent stream from the same seed. The fake draws token strings and fault decisions
 * from separate streams, so adding a probabilistic fault does not change which tokens are minted.
 */
export function deriveSeed(seed: number, stream: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
}

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `length` characters of the base64url alphabet (6 bits per character, 5 characters per draw). */
export function randomUrlSafe(rng: Rng, length: number): string {
  let out = '';
  while (out.length < length) {
    let bits = rng.uint32();
    for (let i = 0; i < 5 && out.length < length; i++) {
      out += URL_SAFE[bits & 63];
      bits >>>= 6;
    }
  }
  return out;
}

/** `length` lower-case hex digits. */
export function randomHex(rng: Rng, length: number): string {
  let out = '';
  while (out.length < length) out += rng.uint32().toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** A standard normal draw (Box-Muller), for log-normal latency. */
export function randomNormal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
