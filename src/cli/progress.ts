/**
 * A progress bar on stderr while thousands of clients start: redrawn in place on a terminal, a
 * line per tenth otherwise (logs stay readable in CI).
 */

/** Where the bar is drawn. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #total: number;
  readonly #label: string;
  readonly #width: number;
  #done = 0;
  #lastTenth = -1;
  #lastDrawMs = 0;
  #finished = false;

  constructor(stream: ProgressStream, total: number, label = 'starting clients', width = 30) {
    this.#stream = stream;
    this.#total = Math.max(0, total);
    this.#label = label;
    this.#width = width;
  }

  get done(): number {
    return this.#done;
  }

  /** Counts `n` more done, and redraws (at most every 50 ms on a terminal). */
  tick(n = 1): void {
    if (this.#finished) return;
    this.#done = Math.min(this.#total, this.#done + n);
    if (this.#done >= this.#total) this.finish();
    else this.#draw(false);
  }

  /** Draws the full bar and ends the line. */
  finish(suffix = ''): void {
    if (this.#finished) return;
    this.#done = this.#total;
    this.#draw(true, suffix);
    this.#finished = true;
  }

  /** The bar as text, e.g. `starting clients [######----] 600/1000 60%`. */
  render(): string {
    const ratio = this.#total === 0 ? 1 : this.#done / this.#total;
    const filled = Math.round(ratio * this.#width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(this.#width - filled)}`;
    return `${this.#label} [${bar}] ${this.#done}/${this.#total} ${Math.floor(ratio * 100)}%`;
  }

  #draw(final: boolean, suffix = ''): void {
    if (this.#stream.isTTY) {
      const now = Date.now();
      if (!final && now - this.#lastDrawMs < 50) return;
      this.#lastDrawMs = now;
      this.#stream.write(`\r${this.render()}${suffix}${final ? '\n' : ''}`);
      return;
    }
    const tenth = this.#total === 0 ? 10 : Math.floor((this.#done / this.#total) * 10);
    if (tenth === this.#lastTenth && !final) return;
    if (final && tenth === this.#lastTenth && this.#lastTenth === 10) return;
    this.#lastTenth = tenth;
    this.#stream.write(`${this.render()}${suffix}\n`);
  }
}
