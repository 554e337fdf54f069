/**
 * Caps upstream calls in flight over the whole refresher, so 100,000 clients coming due together
 * do not open 100,000 sockets (WeCom answers 45033 past ~300 concurrent calls, spec/wechat-api.md §4.3).
 */
export class Limiter {
  readonly #max: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
