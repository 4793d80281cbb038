'use server';

import { publicAction, type ActionResult } from '@/lib/actions';
import { renderCredentialQr } from '@/lib/devices/credential-qr';
import { registerDeviceSchema, type RegisterDeviceInput } from '@/lib/devices/schemas';
import { redeemCode } from '@/lib/registration-codes';
import { describeRefusal } from './redeem-messages';

/** What the success view shows, this once: the credential is never sent in any other answer. */
export interface RegisteredDeviceView {
  deviceName: string;
  platform: RegisterDeviceInput['platform'];
  email: string;
  credential: string;
  /** SVG markup from renderCredentialQr, or null if it could not be drawn (the text still works). */
  qrSvg: string | null;
}

export type RegisterDeviceResult = ActionResult<RegisteredDeviceView>;

const redeem = publicAction(registerDeviceSchema, async (input, { client }): Promise<RegisterDeviceResult> => {
  const device = { name: input.deviceName, platform: input.platform };
  const result = await redeemCode({ code: input.code, device }, client);
  if (!result.ok) {
    const problem = describeRefusal(result);
    return problem.field ? { ok: false, fieldErrors: { [problem.field]: [problem.message] } } : { ok: false, formError: problem.message };
  }
  // The device is registered whatever happens next: a QR failure must not lose the credential.
  const qrSvg = await renderCredentialQr(result.token).catch(() => null);
  return {
    ok: true,
    data: { deviceName: device.name, platform: device.platform, email: result.user.email, credential: result.token, qrSvg },
  };
});

/**
 * Public: the registration code is the credential, and redeemCode limits failed attempts. A refused
 * attempt keeps what was typed, the code too: it is the person's own input, which publicAction would
 * otherwise leave out because of its name.
 */
export async function registerDeviceAction(prev: RegisterDeviceResult | undefined, data?: FormData): Promise<RegisterDeviceResult> {
  const result = await redeem(prev, data);
  const code = data instanceof FormData ? data.get('code') : null;
  if (result.ok || typeof code !== 'string') return result;
  return { ...result, values: { ...result.values, code: code.slice(0, 64) } };
}
