/** Everything the process writes to stdout, stderr and the console while `fn` runs. */
export async function captureOutput(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const { stdout, stderr } = process;
  const originals = { out: stdout.write, err: stderr.write, console: { ...console } };
  const tap = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  stdout.write = tap as typeof stdout.write;
  stderr.write = tap as typeof stderr.write;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = (...args: unknown[]) => void tap(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    stdout.write = originals.out;
    stderr.write = originals.err;
    Object.assign(console, originals.console);
  }
  return chunks.join('');
}
