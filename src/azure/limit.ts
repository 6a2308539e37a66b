/**
 * A gate that lets at most `concurrency` calls run at once; the rest wait in order. One gate shared by every
 * request of a scan bounds the load on ARM however the calls nest (subscriptions → clusters → pools).
 */
export function limiter(concurrency: number): <T>(call: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async (call) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await call();
    } finally {
      release();
    }
  };
}
