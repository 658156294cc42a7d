// Clean shutdown on quit and on SIGTERM: services.stop() (tasks recorded, collectors stopped,
// SSH closed, store flushed) runs exactly once and is awaited before the process exits.

export interface QuitEventLike {
  preventDefault(): void;
}
/** The slice of Electron's app used here. */
export interface QuittableApp {
  on(event: 'before-quit', listener: (event: QuitEventLike) => void): unknown;
  quit(): void;
  exit(code?: number): void;
}
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface ShutdownOptions {
  app: QuittableApp;
  stop: () => Promise<void>;
  process: SignalSource;
  log: (line: string) => void;
  /** A stop that hangs never keeps the app alive longer than this. */
  timeoutMs?: number;
}

/** Wires before-quit and SIGTERM/SIGINT; returns the one shutdown promise for tests. */
export function installShutdown({ app, stop, process, log, timeoutMs = 10_000 }: ShutdownOptions): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      let code = 0;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          stop(),
          new Promise<void>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`services did not stop within ${timeoutMs} ms`)), timeoutMs);
            timer.unref();
          }),
        ]);
      } catch (e) {
        code = 1;
        log(`shutdown: ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
      app.exit(code); // exit, not quit: before-quit must not run the sequence again
    })();
    return stopping;
  };
  app.on('before-quit', (event) => {
    // hold the quit until the core has stopped; app.exit() then ends the process
    event.preventDefault();
    void shutdown();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown());
  return shutdown;
}
