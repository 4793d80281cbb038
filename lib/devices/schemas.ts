import { z } from 'zod';
import type { DevicePlatform } from './device-platforms';

/** What people call each platform (the record's keys are exactly the database enum's values). */
export const PLATFORM_LABELS: Record<DevicePlatform, string> = {
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  ios: 'iOS',
  android: 'Android',
};

const PLATFORMS = Object.keys(PLATFORM_LABELS) as [DevicePlatform, ...DevicePlatform[]];

/** The most a code can be as typed (the client API allows the same); its format is checked by redeemCode. */
const MAX_TYPED_CODE = 64;

/** The public /register form (shared by the form and its action). */
export const registerDeviceSchema = z.object({
  code: z.string().trim().min(1, 'Enter your registration code.').max(MAX_TYPED_CODE, 'That is too long for a registration code.'),
  deviceName: z
    .string()
    .trim()
    .min(1, 'Enter a name for the device, like “Work laptop”.')
    .max(100, 'Use at most 100 characters for the device name.'),
  platform: z.enum(PLATFORMS, { error: 'Choose the platform of the device.' }),
});
export type RegisterDeviceInput = z.infer<typeof registerDeviceSchema>;

/** The portal's Revoke button on one of the user's devices. */
export const revokeDeviceSchema = z.object({ deviceId: z.uuid('Unknown device.') });
