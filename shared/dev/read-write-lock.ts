/**
 * A readers-writer lock, granted in arrival order: readers share, a writer is alone, and a waiting writer
 * holds back the readers that come after it (so constant polling cannot starve a write).
 */
export interface ReadWriteLock {
  read(): Promise<() => void>;
  write(): Promise<() => void>;
}

export function createReadWriteLock(): ReadWriteLock {
  const waiting: Array<{ readonly exclusive: boolean; readonly grant: () => void }> = [];
  let readers = 0;
  let writing = false;

  function pump(): void {
    while (waiting.length > 0 && !writing) {
      const next = waiting[0] as (typeof waiting)[number];
      if (next.exclusive && readers > 0) return;
      waiting.shift();
      if (next.exclusive) writing = true;
      else readers += 1;
      next.grant();
      if (next.exclusive) return;
    }
  }

  function acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      waiting.push({
        exclusive,
        grant: () => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            if (exclusive) writing = false;
            else readers -= 1;
            pump();
          });
        },
      });
      pump();
    });
  }

  return { read: () => acquire(false), write: () => acquire(true) };
}
