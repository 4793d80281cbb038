/** A periodic job: runs about every `everySeconds`, once across all instances. */
export interface JobDefinition {
  /** Stable name; the scheduled_jobs row's key. */
  name: string;
  everySeconds: number;
  /** Returns a short summary for the log (e.g. how many rows it changed). */
  run: () => Promise<Record<string, unknown> | void>;
}
