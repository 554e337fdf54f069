/**
 * Upstream latency: a fetch wrapper that times every WeChat call into a prom-client histogram,
 * labelled by host family, API path and outcome. Pass the result as `RefresherOptions.fetch`.
 */
import type { Histogram } from 'prom-client';

/** Labels of the upstream latency histogram. */
export type UpstreamLabel = 'host' | 'path' | 'outcome';

/** How a call ended: an HTTP answer (2xx or not) or no answer at all. */
export type UpstreamOutcome = 'ok' | 'http_error' | 'network_error';

function labelsOf(input: Parameters<typeof globalThis.fetch>[0]): { host: string; path: string } {
  try {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    // Only the host and path: the query carries secrets (appid&secret=...) and must never be a label.
    const host = url.hostname.startsWith('qyapi.')
      ? 'work'
      : url.hostname.startsWith('api.')
        ? 'api'
        : url.host;
    return { host, path: url.pathname };
  } catch {
    return { host: 'unknown', path: 'unknown' };
  }
}

/**
 * Wraps a fetch so each call is observed in `histogram` (seconds).
 * @param fetch the fetch to time (e.g. `globalThis.fetch`).
 * @param histogram a histogram with the labels {@link UpstreamLabel}.
 * @param now a monotonic millisecond clock. @default performance.now
 */
export function instrumentFetch(
  fetch: typeof globalThis.fetch,
  histogram: Histogram<UpstreamLabel>,
  now: () => number = () => performance.now(),
): typeof globalThis.fetch {
  return async (input, init) => {
    const started = now();
    const labels = labelsOf(input);
    try {
      const response = await fetch(input, init);
      const outcome: UpstreamOutcome = response.ok ? 'ok' : 'http_error';
      histogram.observe({ ...labels, outcome }, (now() - started) / 1000);
      return response;
    } catch (error) {
      histogram.observe({ ...labels, outcome: 'network_error' }, (now() - started) / 1000);
      throw error;
    }
  };
}
