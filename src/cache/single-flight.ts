/** Runs one piece of work per key at a time in this process; later callers share its result. */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): { result: Promise<T>; leader: boolean } {
    const current = this.running.get(key);
    if (current) return { result: current, leader: false };

    const result = work().finally(() => this.running.delete(key));
    this.running.set(key, result);

    return { result, leader: true };
  }

  get size(): number {
    return this.running.size;
  }
}
