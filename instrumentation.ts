export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startOnramp } = await import('./lib/startup');
    await startOnramp();
  }
}
