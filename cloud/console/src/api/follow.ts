/**
 * Follows one resource (a job, a batch) until it settles: `onChange` gets it each time it
 * may have changed. Polls the resource's GET once a second; `stop()` ends it (the page
 * went away). A settled resource is not asked again.
 */
export interface Follow<T> {
  load: () => Promise<T>;
  settled: (value: T) => boolean;
  onChange: (value: T) => void;
  onError: (error: unknown) => void;
  everyMs?: number;
}

export function follow<T>({ load, settled, onChange, onError, everyMs = 1000 }: Follow<T>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    try {
      const value = await load();
      if (stopped) return;
      onChange(value);
      if (settled(value)) return;
    } catch (error) {
      if (stopped) return;
      onError(error);
    }
    timer = setTimeout(poll, everyMs);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
