import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnrelatedCaPem, personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { configureDirectory, snapshotUsers, syncNow, unitsLdif, userByUsername } from './testing';
import { testDirectoryConnection } from '.';

const BASE = 'dc=example,dc=org';
const PEOPLE = ['ann', 'bob', 'cat'];
let slapd: Slapd;
/** Serves a certificate for 127.0.0.1 / localhost from 127.0.0.2: right CA, wrong host. */
let elsewhere: Slapd;
let otherCa: string;

beforeAll(async () => {
  const ldif = [unitsLdif(BASE, ['people']), ...PEOPLE.map((uid) => personLdif(`uid=${uid},ou=people,${BASE}`, { uid, cn: uid, sn: uid, mail: `${uid}@example.org` }))].join('\n');
  [slapd, elsewhere] = await Promise.all([startSlapd({ ldif, tls: true }), startSlapd({ ldif, tls: true, host: '127.0.0.2' })]);
  otherCa = createUnrelatedCaPem();
}, 60_000);
afterAll(async () => {
  await Promise.all([slapd?.destroy(), elsewhere?.destroy()]);
});

/** Node's and OpenSSL's wording, which an admin can't act on. */
const NODE_WORDING = /unable to verify|self[- ]signed|UNABLE_TO|ERR_TLS|DEPTH_ZERO|altnames/i;

/** Test connection and a sync with these settings are both refused in plain words about TLS, and no user changes. */
async function expectRefused(settings: Parameters<typeof configureDirectory>[1], reason: RegExp) {
  await configureDirectory(slapd, settings);
  const test = await testDirectoryConnection();
  expect(test).toMatchObject({ ok: false, kind: 'tls', samples: [] });
  expect(test.message).toMatch(reason);
  expect(test.message).not.toMatch(NODE_WORDING);
  const before = await snapshotUsers();
  const run = await syncNow();
  expect(run).toMatchObject({ status: 'failed', counts: { created: 0, updated: 0, disabled: 0 } });
  expect(run.error).toMatch(reason);
  expect(run.error).not.toMatch(NODE_WORDING);
  expect(run.error).toMatch(/No user was changed/);
  expect(await snapshotUsers()).toEqual(before);
}

const NOT_TRUSTED = /^The directory's certificate is not trusted: add its CA certificate \(PEM\) in the settings\./;

describe('ldaps:// and StartTLS with a test CA (certificates are always verified)', () => {
  it('ldaps:// with the CA: Test connection binds and a sync imports the users', async () => {
    await configureDirectory(slapd, { url: slapd.ldapsUrl, caPem: slapd.caPem });
    const test = await testDirectoryConnection();
    expect(test).toMatchObject({ ok: true, message: expect.stringContaining(`Connected to ${slapd.ldapsUrl} and bound as ${slapd.readerDn}`) });
    expect(test.samples.map((s) => s.username).sort()).toEqual(PEOPLE);
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', error: null, counts: { read: 3, created: 3 } });
    // From here on the directory holds a change that only a working connection can bring in.
    slapd.modify(`dn: uid=ann,ou=people,${BASE}\nchangetype: modify\nreplace: sn\nsn: Changed\n`);
  });

  it('ldaps:// without the CA is refused and changes no user', async () => {
    await expectRefused({ url: slapd.ldapsUrl, caPem: undefined }, NOT_TRUSTED);
  });

  it('StartTLS on ldap:// without the CA is refused and changes no user', async () => {
    await expectRefused({ url: slapd.url, startTls: true, caPem: undefined }, NOT_TRUSTED);
  });

  it('a CA that did not sign the server certificate is refused, over ldaps:// and StartTLS', async () => {
    await expectRefused({ url: slapd.ldapsUrl, caPem: otherCa }, NOT_TRUSTED);
    await expectRefused({ url: slapd.url, startTls: true, caPem: otherCa }, NOT_TRUSTED);
  });

  it('a certificate from the right CA for another host is refused, over ldaps:// and StartTLS', async () => {
    const hostMismatch = /^The directory's certificate is not made out to the host in ldaps?:\/\/127\.0\.0\.2:\d+ \(it names 127\.0\.0\.1\): use a host name the certificate names/;
    await expectRefused({ url: elsewhere.ldapsUrl, caPem: elsewhere.caPem }, hostMismatch);
    await expectRefused({ url: elsewhere.url, startTls: true, caPem: elsewhere.caPem }, hostMismatch);
  });

  it('StartTLS on ldap:// with the CA works and the sync brings the pending change', async () => {
    await configureDirectory(slapd, { url: slapd.url, startTls: true, caPem: slapd.caPem });
    expect(await testDirectoryConnection()).toMatchObject({ ok: true });
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', counts: { read: 3, created: 0, updated: 1, disabled: 0 } });
    expect(await userByUsername('ann')).toMatchObject({ lastName: 'Changed', status: expect.not.stringMatching(/disabled/) });
  });
});
