// A bounded gate for compiles: at most `concurrency` at once (each is ~160 MB and a core), at
// most `maxQueue` waiting, none waiting longer than `maxWaitMs`. Past either bound the caller
// gets CompilerBusyError, which the API answers with 503 COMPILER_BUSY and Retry-After.
export class CompilerBusyError extends Error {
  readonly code = "COMPILER_BUSY";
  constructor(readonly retryAfterSeconds: number) {
    super("every compiler is busy; try again shortly");
    this.name = "CompilerBusyError";
  }
}

export interface CompilePoolOptions {
  concurrency: number;
  maxQueue: number;
  maxWaitMs: number;
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

export function createCompilePool(options: CompilePoolOptions) {
  let active = 0;
  const queue: Waiter[] = [];
  const retryAfter = () => Math.max(1, Math.ceil(options.maxWaitMs / 1000));

  function next(): void {
    active--;
    const waiter = queue.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      active++;
      waiter.start();
    }
  }

  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= options.concurrency) {
      if (queue.length >= options.maxQueue) throw new CompilerBusyError(retryAfter());
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          start: resolve,
          timer: setTimeout(() => {
            queue.splice(queue.indexOf(waiter), 1);
            reject(new CompilerBusyError(retryAfter()));
          }, options.maxWaitMs),
        };
        queue.push(waiter);
      });
    } else {
      active++;
    }
    try {
      return await task();
    } finally {
      next();
    }
  }

  return { run, stats: () => ({ active, queued: queue.length }) };
}
