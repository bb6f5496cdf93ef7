/**
 * Server-initiated items (inbound messages, `PreKeysLow`, unsolicited frames): handed to listeners, or to whoever
 * awaits `next()`, else kept until one comes, so nothing that arrives before a listener is registered is lost.
 */
export class Channel<T> {
  private readonly buffer: T[] = [];
  private readonly listeners = new Set<(item: T) => void>();
  private readonly waiters: Array<(item: T | undefined) => void> = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(item);
    } else if (this.listeners.size > 0) {
      for (const listener of [...this.listeners]) listener(item);
    } else {
      this.buffer.push(item);
    }
  }

  /** Adds a listener, first handing it what was kept; returns the function that removes it. */
  listen(listener: (item: T) => void): () => void {
    this.listeners.add(listener);
    for (let item = this.buffer.shift(); item !== undefined; item = this.buffer.shift()) {
      listener(item);
    }
    return () => this.listeners.delete(listener);
  }

  /** The next item, or undefined when none comes within `timeoutMs`. */
  next(timeoutMs: number): Promise<T | undefined> {
    if (this.buffer.length > 0) {
      return Promise.resolve(this.buffer.shift());
    }
    return new Promise((resolve) => {
      const waiter = (item: T | undefined) => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Drops the kept items that match. */
  removeIf(predicate: (item: T) => boolean): void {
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      if (predicate(this.buffer[i] as T)) this.buffer.splice(i, 1);
    }
  }
}
