import { describe, expect, it } from 'vitest';
import { DEVICE_PLATFORMS } from './device-platforms';
import { PLATFORM_LABELS, registerDeviceSchema, revokeDeviceSchema } from './schemas';

const errorsOf = (input: unknown) => {
  const parsed = registerDeviceSchema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('device schemas', () => {
  it('names every platform of the database enum, and only those', () => {
    expect(Object.keys(PLATFORM_LABELS).sort()).toEqual([...DEVICE_PLATFORMS].sort());
  });

  it('takes the /register form as typed, trimmed, leaving the code format to redeemCode', () => {
    expect(registerDeviceSchema.parse({ code: ' abcd efgh-jkm0 ', deviceName: '  Work laptop ', platform: 'macos' })).toEqual({
      code: 'abcd efgh-jkm0',
      deviceName: 'Work laptop',
      platform: 'macos',
    });
    for (const platform of DEVICE_PLATFORMS) expect(registerDeviceSchema.safeParse({ code: 'x', deviceName: 'y', platform }).success).toBe(true);
  });

  it('says what is missing or wrong, field by field', () => {
    expect(errorsOf({ code: ' ', deviceName: '', platform: '' })).toEqual({
      code: 'Enter your registration code.',
      deviceName: 'Enter a name for the device, like “Work laptop”.',
      platform: 'Choose the platform of the device.',
    });
    expect(errorsOf({ code: 'A'.repeat(65), deviceName: 'x'.repeat(101), platform: 'beos' })).toEqual({
      code: 'That is too long for a registration code.',
      deviceName: 'Use at most 100 characters for the device name.',
      platform: 'Choose the platform of the device.',
    });
  });

  it('revokes by device id only', () => {
    expect(revokeDeviceSchema.safeParse({ deviceId: '6b1f9c1e-8f5a-4c55-9d2b-3f0a1b2c3d4e' }).success).toBe(true);
    expect(revokeDeviceSchema.safeParse({ deviceId: 'not-a-uuid' }).success).toBe(false);
    expect(revokeDeviceSchema.safeParse({}).success).toBe(false);
  });
});
