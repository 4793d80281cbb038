/** What a job run gets: `signal` is aborted when the process shuts down (SIGTERM); stop between steps. */
export interface JobContext {
  signal: AbortSignal;
}

/** A periodic job: runs about every `everySeconds`, once across all instances. */
export interface JobDefinition {
  /** Stable name; the scheduled_jobs row's key. */
  name: string;
  everySeconds: number;
  /**
   * Returns a short summary for the log (e.g. how many rows it changed). A run that stops early
   * because `ctx.signal` was aborted is not a failure: its claim is released and the job is due again
   * at once, so another instance (or the next start) picks it up.
   */
  run: (ctx: JobContext) => Promise<Record<string, unknown> | void>;
}
