/**
 * Dependency rules read from the sources (STYLE.md rules 1 and 4, DESIGN.md "Layout"): machines
 * depend on xstate and on types only, nothing imports in a circle, and a room of src/ is entered
 * through its door. The scanner is a small lexer, not the compiler: TypeScript 7 ships no stable
 * JS parser API, and the rules only need import specifiers and a few identifiers outside
 * comments and strings. Its own behaviour is tested first, so a blind scanner cannot pass.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const MACHINES = join(ROOT, 'machines');

interface ImportRef {
  specifier: string;
  /** `import type` / `export type` / `typeof import()`: erased, no runtime edge. */
  typeOnly: boolean;
  line: number;
}

interface SourceFile {
  path: string;
  imports: ImportRef[];
  /** The code with comments and string contents blanked, for identifier checks. */
  bare: string;
}

const REGEX_MAY_FOLLOW = new Set([...'(,=:[!&|?{};+-*%<>~^']);

/**
 * Blanks comments (keeping newlines, so offsets and lines stay) and returns the code twice: with
 * string literals intact (for specifiers) and with their contents blanked (for identifiers).
 */
function lex(source: string): { code: string; bare: string } {
  let code = '';
  let bare = '';
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const keep = (s: string) => {
    code += s;
    bare += s;
  };
  const literal = (open: string, body: string, close: string) => {
    code += open + body + close;
    bare += open + blank(body) + close;
  };
  const substitutions: number[] = [];
  let depth = 0;
  let prev = '';
  let i = 0;
  const n = source.length;

  /** Scans template text from `start` (just after '`' or '}'); returns the index after it. */
  const template = (start: number, open: string): number => {
    let j = start;
    while (j < n) {
      if (source[j] === '\\') j += 2;
      else if (source[j] === '`') {
        literal(open, source.slice(start, j), '`');
        return j + 1;
      } else if (source[j] === '$' && source[j + 1] === '{') {
        literal(open, source.slice(start, j), '${');
        substitutions.push(depth);
        depth++;
        return j + 2;
      } else j++;
    }
    literal(open, source.slice(start), '');
    return n;
  };

  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const j = end === -1 ? n : end;
      keep(blank(source.slice(i, j)));
      i = j;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      keep(blank(source.slice(i, j)));
      i = j;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      literal(c, source.slice(i + 1, j), source[j] === c ? c : '');
      i = source[j] === c ? j + 1 : j;
      prev = c;
    } else if (c === '`') {
      i = template(i + 1, '`');
      prev = '`';
    } else if (c === '}' && substitutions.length > 0 && substitutions.at(-1) === depth - 1) {
      substitutions.pop();
      depth--;
      i = template(i + 1, '}');
      prev = '`';
    } else if (c === '/' && (prev === '' || REGEX_MAY_FOLLOW.has(prev))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n' && (inClass || source[j] !== '/')) {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        j++;
      }
      literal('/', source.slice(i + 1, j), '/');
      i = j + 1;
      prev = '/';
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      keep(c);
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  return { code, bare };
}

// Matched on the bare code (string contents blanked, lengths kept), so text inside a string or a
// regex is never taken for an import; the specifier is then read from the code at the same offsets.
const STATIC_FROM =
  /\b(import|export)(\s+type)?\s+((?:(?!\b(?:import|export|from)\b)[\w$\s{},*])*?)\s*\bfrom\s*(['"])([^'"\n]*)\4/dg;
const SIDE_EFFECT = /\bimport\s*(['"])([^'"\n]*)\1/dg;
const DYNAMIC = /(\btypeof\s+)?\bimport\s*\(\s*(['"])([^'"\n]*)\2\s*\)/dg;

/** Every import and re-export of a module, with its line. */
function importsOf(source: string): ImportRef[] {
  const { code, bare } = lex(source);
  const lineAt = (index: number) => code.slice(0, index).split('\n').length;
  const found: Array<ImportRef & { index: number }> = [];
  const add = (m: RegExpExecArray, group: number, typeOnly: boolean) => {
    const [start, end] = m.indices![group]!;
    found.push({ specifier: code.slice(start, end), typeOnly, line: lineAt(m.index), index: m.index });
  };
  // `import { type A, type B } from` stays a runtime import under verbatimModuleSyntax.
  for (const m of bare.matchAll(STATIC_FROM)) add(m, 5, m[2] !== undefined);
  for (const m of bare.matchAll(SIDE_EFFECT)) add(m, 2, false);
  for (const m of bare.matchAll(DYNAMIC)) add(m, 3, m[1] !== undefined);
  return found.sort((a, b) => a.index - b.index).map(({ index: _, ...ref }) => ref);
}

/** The file a relative specifier names: `.js` is the `.ts` beside it, a folder its `index.ts`. */
function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base.endsWith('.js') ? `${base.slice(0, -3)}.ts` : undefined,
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c): c is string => c !== undefined && files.has(c));
}

/** Every cycle's files, one list per strongly connected component (Tarjan), each starting at its least path. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One concrete loop through a cycle's files, for the failure message: a -> b -> ... -> a. */
function loopThrough(component: string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0];
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
}

/**
 * The room a file of src/ is in (its first folder), or undefined for the core (src/*.ts). Outside
 * src/ (machines/) a file is in no room of src/ and must use the doors like any other room.
 */
function roomOf(file: string): string | undefined {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function load(files: string[]): SourceFile[] {
  return files.map((path) => {
    const source = readFileSync(path, 'utf8');
    return { path, imports: importsOf(source), bare: lex(source).bare };
  });
}

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

describe('architecture scanner', () => {
  it('finds static, multi-line, re-export, side-effect and dynamic imports with their lines', () => {
    const source = [
      "import { a } from './a.js';",
      'import {',
      '  b,',
      '  type C,',
      "} from './b.js';",
      "export { d } from './d.js';",
      "export * as e from './e.js';",
      "import './side.js';",
      "const f = await import('./f.js');",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a.js', typeOnly: false, line: 1 },
      { specifier: './b.js', typeOnly: false, line: 2 },
      { specifier: './d.js', typeOnly: false, line: 6 },
      { specifier: './e.js', typeOnly: false, line: 7 },
      { specifier: './side.js', typeOnly: false, line: 8 },
      { specifier: './f.js', typeOnly: false, line: 9 },
    ]);
  });

  it('marks import type, export type and typeof import() as type-only, but not inline type specifiers', () => {
    const source = [
      "import type { A } from 'node:fs';",
      "export type { B } from '../src/b.js';",
      "type C = typeof import('./c.js');",
      "import { type D } from './d.js';",
    ].join('\n');
    expect(importsOf(source).map((r) => [r.specifier, r.typeOnly])).toEqual([
      ['node:fs', true],
      ['../src/b.js', true],
      ['./c.js', true],
      ['./d.js', false],
    ]);
  });

  it('ignores imports and identifiers inside comments, strings, templates and regexes', () => {
    const source = [
      "// import { x } from 'node:fs';",
      "/* import y from 'keyv'; Date.now() */",
      'const s = \'import z from "fs"; setTimeout(\';',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the lexer
      'const t = `Math.random() ${1 + 1} fetch(`;',
      "const r = /import w from 'fs'/;",
      "import { ok } from 'xstate';",
    ].join('\n');
    expect(importsOf(source).map((r) => r.specifier)).toEqual(['xstate']);
    const { bare } = lex(source);
    expect(bare).not.toMatch(/Date\.now|setTimeout|Math\.random|fetch\(/);
    expect(bare.split('\n')).toHaveLength(6);
  });

  it('keeps code inside template substitutions visible', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the lexer
    const { bare } = lex('const t = `at ${Date.now()} and ${`${Math.random()}`}`;');
    expect(bare).toMatch(/Date\.now\(\)/);
    expect(bare).toMatch(/Math\.random\(\)/);
  });

  it('resolves .js to .ts and a folder to its index.ts', () => {
    const files = new Set(['/r/src/a.ts', '/r/src/store/index.ts', '/r/src/store/x.ts']);
    expect(resolveSpecifier('/r/src/b.ts', './a.js', files)).toBe('/r/src/a.ts');
    expect(resolveSpecifier('/r/src/b.ts', './store', files)).toBe('/r/src/store/index.ts');
    expect(resolveSpecifier('/r/src/store/x.ts', '../a.js', files)).toBe('/r/src/a.ts');
    expect(resolveSpecifier('/r/src/b.ts', './missing.js', files)).toBeUndefined();
    expect(resolveSpecifier('/r/src/b.ts', 'xstate', files)).toBeUndefined();
  });

  it('finds cycles, including self-imports, and no cycle in a DAG', () => {
    const dag = new Map([
      ['a', ['b', 'c']],
      ['b', ['c']],
      ['c', []],
    ]);
    expect(findCycles(dag)).toEqual([]);
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(findCycles(cyclic)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(loopThrough(['a', 'b', 'c'], cyclic)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('knows the room of a file of src/', () => {
    expect(roomOf(join(SRC, 'store', 'token-store.ts'))).toBe('store');
    expect(roomOf(join(SRC, 'store', 'redis', 'lease.ts'))).toBe('store');
    expect(roomOf(join(SRC, 'config.ts'))).toBeUndefined();
    expect(roomOf(join(MACHINES, 'client.ts'))).toBeUndefined();
  });
});

describe('architecture', () => {
  const machineFiles = load(listTs(MACHINES));
  const srcFiles = load(listTs(SRC));
  const all = [...srcFiles, ...machineFiles];
  const known = new Set(all.map((f) => f.path));

  it('finds the sources it checks', () => {
    expect(machineFiles.map((f) => rel(f.path))).toContain('machines/timing.ts');
    expect(srcFiles.map((f) => rel(f.path))).toContain('src/index.ts');
  });

  it('machines import only xstate and files inside machines/, except import type', () => {
    const violations: string[] = [];
    for (const file of machineFiles) {
      for (const ref of file.imports) {
        if (ref.typeOnly || ref.specifier === 'xstate') continue;
        const inside =
          ref.specifier.startsWith('.') &&
          !relative(MACHINES, resolve(dirname(file.path), ref.specifier)).startsWith('..');
        if (inside) continue;
        const hint = ref.specifier.startsWith('node:') ? ' (a Node builtin: I/O belongs in src/)' : '';
        violations.push(
          `${rel(file.path)}:${ref.line} imports '${ref.specifier}'${hint}; machines may import 'xstate', ./files in machines/, or anything with \`import type\``,
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it('machines read no clock, timer, randomness or network of their own', () => {
    const forbidden: Array<[RegExp, string]> = [
      [/\bDate\.now\b/, 'Date.now'],
      [/\bnew\s+Date\s*\(\s*\)/, 'new Date()'],
      [/\bsetTimeout\b/, 'setTimeout'],
      [/\bsetInterval\b/, 'setInterval'],
      [/\bsetImmediate\b/, 'setImmediate'],
      [/\bMath\.random\b/, 'Math.random'],
      [/\bfetch\s*\(/, 'fetch('],
      [/\bnode:/, 'node:'],
    ];
    const violations: string[] = [];
    for (const file of machineFiles) {
      const lines = file.bare.split('\n');
      lines.forEach((text, i) => {
        for (const [pattern, name] of forbidden) {
          if (pattern.test(text)) {
            violations.push(
              `${rel(file.path)}:${i + 1} uses ${name}: time, timers and I/O are injected by src/`,
            );
          }
        }
      });
    }
    expect(violations).toEqual([]);
  });

  it('src/ and machines/ have no import cycle', () => {
    // Type-only imports count too: a cycle of types still ties two modules' designs together.
    const graph = new Map<string, string[]>();
    for (const file of all) {
      const targets = file.imports
        .map((ref) => resolveSpecifier(file.path, ref.specifier, known))
        .filter((t): t is string => t !== undefined);
      graph.set(file.path, [...new Set(targets)]);
    }
    const cycles = findCycles(graph).map((c) => loopThrough(c, graph).map(rel).join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('every room of src/ has an index.ts door', () => {
    const rooms = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const missing = rooms.filter((room) => !existsSync(join(SRC, room, 'index.ts')));
    expect(missing.map((room) => `src/${room}/ has no index.ts door`)).toEqual([]);
  });

  it("a file outside a room of src/ imports only that room's index.ts", () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = roomOf(file.path);
      for (const ref of file.imports) {
        const target = resolveSpecifier(file.path, ref.specifier, known);
        const to = target === undefined ? undefined : roomOf(target);
        if (to === undefined || to === from) continue;
        const door = join(SRC, to, 'index.ts');
        if (target === door) continue;
        violations.push(
          `${rel(file.path)}:${ref.line} imports '${ref.specifier}' (${rel(target!)}) from outside room '${to}'; import it from '${rel(door)}'`,
        );
      }
    }
    expect(violations).toEqual([]);
  });
});
