/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: prom-client has no
 * parser, so every line is checked against the grammar and each sample is tied to a declared family.
 * @throws Error naming the line that does not parse.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

function parseValue(raw: string, line: string): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (raw === 'NaN') return Number.NaN;
  const n = Number(raw);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) || Number.isNaN(n))
    throw new Error(`bad value: ${line}`);
  return n;
}

function parseLabels(raw: string | undefined, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = raw ?? '';
  while (rest.length > 0) {
    const m = rest.match(LABEL);
    if (!m) throw new Error(`bad labels: ${line}`);
    if (m[1] in labels) throw new Error(`repeated label ${m[1]}: ${line}`);
    labels[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** Parses an exposition into families by name. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let m = line.match(HELP);
    if (m) {
      family(m[1]).help = m[2];
      continue;
    }
    m = line.match(TYPE);
    if (m) {
      const f = family(m[1]);
      if (f.samples.length > 0) throw new Error(`TYPE after samples: ${line}`);
      f.type = m[2];
      continue;
    }
    if (line.startsWith('#')) continue;
    m = line.match(SAMPLE);
    if (!m) throw new Error(`not a sample: ${line}`);
    const [, name, rawLabels, rawValue] = m;
    const base = families.has(name)
      ? name
      : (SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')).find(
          (b) => b && families.has(b),
        ) ?? '');
    if (!base) throw new Error(`sample of an undeclared family: ${line}`);
    family(base).samples.push({
      name,
      labels: parseLabels(rawLabels, line),
      value: parseValue(rawValue, line),
    });
  }
  return families;
}
