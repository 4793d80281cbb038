'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { revokeDeviceAction } from './actions';

/**
 * Revoke, then an inline confirmation naming the device; a refusal is announced. The button is named
 * "Revoke" and described by the cell that names the device (`describedBy`), so the row reads
 * "Revoke, Work laptop" without repeating the name in the table.
 */
export function RevokeDeviceButton({ deviceId, deviceName, describedBy }: { deviceId: string; deviceName: string; describedBy: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | undefined, FormData>(revokeDeviceAction, undefined);
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={formAction} className="inline-action">
      <input type="hidden" name="deviceId" value={deviceId} />
      {confirming ? (
        <span role="group" aria-label={`Confirm revoking ${deviceName}`} className="confirm">
          <span>Revoke “{deviceName}”? Its VPN client stops connecting at once. To use it again, register it with a new code.</span>
          <button type="submit" className="button danger" disabled={pending} autoFocus>
            Yes, revoke
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="button secondary danger" aria-describedby={describedBy} onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
      <span role="status" className="error">
        {state && !state.ok ? state.formError : null}
      </span>
    </form>
  );
}
