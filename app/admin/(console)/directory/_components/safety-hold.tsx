import type { SyncRunDto } from '@/lib/directory';
import { applySyncAnywayAction } from '../actions';
import { formatCount } from '../../users/_components/format';
import { ApplyAnyway } from './apply-anyway';

/** A run waiting at the safety limit: why it stopped, and Apply anyway. */
export function SafetyHold({ run, thresholdPercent }: { run: SyncRunDto; thresholdPercent: number }) {
  const before = run.directoryUsersBefore ?? 0;
  const share = before > 0 ? Math.round((run.counts.disabled * 100) / before) : 100;
  return (
    <section className="alert warn safety-hold" aria-labelledby={`hold-${run.id}`}>
      <h2 id={`hold-${run.id}`}>Stopped at the safety limit</h2>
      <p>
        This run would disable {formatCount(run.counts.disabled)} of {formatCount(before)} directory users ({share} %), more than the{' '}
        {thresholdPercent} % safety limit. Nothing was changed. Review the users it would disable in the run’s change list; if the directory is
        right, apply it anyway.
      </p>
      <ApplyAnyway runId={run.id} wouldDisable={run.counts.disabled} action={applySyncAnywayAction} />
    </section>
  );
}
