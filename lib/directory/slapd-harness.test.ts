import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';

let slapd: Slapd;
beforeAll(async () => {
  const people = Array.from({ length: 30 }, (_, i) =>
    personLdif(`uid=user${i},dc=example,dc=org`, { uid: `user${i}`, cn: `User ${i}`, sn: `Ünïcode ${i}`, mobile: i % 2 ? `+4474001234${String(i).padStart(2, '0')}` : undefined }),
  ).join('\n');
  slapd = await startSlapd({ ldif: people, sizeLimit: 10 });
});
afterAll(() => slapd?.destroy());

describe('the slapd test harness', () => {
  it('serves the loaded entries; an unpaged search hits the size limit and a paged one gets everything', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.readerDn, slapd.readerPassword);
    await expect(client.search(slapd.baseDn, { filter: '(objectClass=inetOrgPerson)' })).rejects.toMatchObject({ code: 4 }); // sizeLimitExceeded
    const paged = await client.search(slapd.baseDn, { filter: '(objectClass=inetOrgPerson)', paged: { pageSize: 5 }, attributes: ['uid', 'sn', 'mobile', 'entryUUID'] });
    expect(paged.searchEntries).toHaveLength(30);
    const user3 = paged.searchEntries.find((e) => e.uid === 'user3')!;
    expect(user3.sn).toBe('Ünïcode 3');
    expect(user3.mobile).toBe('+447400123403');
    expect(paged.searchEntries.find((e) => e.uid === 'user2')!.mobile).toEqual([]);
    expect(user3.entryUUID).toMatch(/^[0-9a-f-]{36}$/);
    await client.unbind();
  });

  it('stops and starts on the same port with the same data', async () => {
    await slapd.stop();
    const down = new Client({ url: slapd.url, connectTimeout: 1000 });
    await expect(down.bind(slapd.adminDn, slapd.adminPassword)).rejects.toThrow();
    await slapd.start();
    slapd.add(personLdif('uid=late,dc=example,dc=org', { uid: 'late', cn: 'Late', sn: 'Comer' }));
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.adminDn, slapd.adminPassword);
    const { searchEntries } = await client.search(slapd.baseDn, { filter: '(uid=late)' });
    expect(searchEntries).toHaveLength(1);
    await client.unbind();
  });
});
