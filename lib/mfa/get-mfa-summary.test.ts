import { describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { getMfaSummary } from './get-mfa-summary';

describe('getMfaSummary', () => {
  it('is not set up without a verified factor, and masks the number of a verified one', async () => {
    const none = await insertTestUser();
    const pending = await insertTestUser();
    const enrolled = await insertTestUser();
    await getDb()
      .insert(schema.mfaFactors)
      .values([
        { userId: pending.id, phoneE164: '+447400123456', verifiedAt: null },
        { userId: enrolled.id, phoneE164: '+447400128750', verifiedAt: new Date() },
      ]);
    expect(await getMfaSummary(none.id)).toEqual({ enrolled: false });
    expect(await getMfaSummary(pending.id)).toEqual({ enrolled: false });
    const summary = await getMfaSummary(enrolled.id);
    expect(summary).toEqual({ enrolled: true, method: 'sms', maskedPhone: '+44 •••• ••8750' });
    expect(JSON.stringify(summary)).not.toContain('7400128750');
  });
});
