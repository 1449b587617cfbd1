/**
 * One job at a time per reader. pcsclite has no SCardBeginTransaction binding, and we
 * connect in SHARED mode so PKCS#11 middleware can reach the same card; without this
 * lock two jobs could interleave APDUs on one card (a SELECT of one job between the
 * VERIFY and the UPDATE BINARY of another). Jobs on different readers run in parallel.
 */
export class ReaderLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(reader: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(reader) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(reader, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(reader) === tail) this.tails.delete(reader);
    }
  }
}
