// Shared by the benchmarks that start a server as a child process.
import { once } from 'node:events';

/**
 * Resolves with `child` once `url` answers 200; rejects (and stops the child) if it exits first or
 * `timeoutMs` passes. `label` names the server in messages.
 */
export async function waitUntilReady(child, url, { timeoutMs, label }) {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench: the ${label} exited with ${code} before it was ready`);
  });
  const ready = (async () => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      try {
        if ((await fetch(url)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`bench: the ${label} was not ready within ${timeoutMs / 1000} s`);
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  exited.catch(() => {}); // a later exit is the stop we asked for
  console.log(`bench: ${label} ready at ${new URL(url).host} (pid ${child.pid})`);
  return child;
}
