import { getCountries } from 'libphonenumber-js';
import { z } from 'zod';
import { ldapFilterProblem } from './ldap-filter-syntax';

/** Shared by the Directory Services form (client) and its action (server): no server-only imports here. */

const REGIONS: ReadonlySet<string> = new Set(getCountries());
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]*$/;

/** An HTML checkbox ("on" when ticked, absent when not) or a boolean. */
const checkbox = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true');

const optionalText = z
  .string()
  .optional()
  .nullable()
  .transform((v) => v?.trim() || null);

const attribute = (what: string) =>
  z
    .string({ error: `Enter the attribute that holds the ${what}.` })
    .trim()
    .min(1, `Enter the attribute that holds the ${what}.`)
    .regex(ATTRIBUTE, `Enter an attribute name (letters, digits and "-"), for example the ${what} attribute of your directory.`);

const whole = (what: string, min: number, max: number, unit: string) =>
  z.coerce
    .number({ error: `Enter the ${what} as a number.` })
    .int(`Enter the ${what} as a whole number.`)
    .min(min, `The ${what} must be at least ${min} ${unit}.`)
    .max(max, `The ${what} can be at most ${max.toLocaleString('en')} ${unit}.`);

const dn = (what: string) =>
  z
    .string()
    .optional()
    .nullable()
    .transform((v) => v?.trim() ?? '')
    .refine((v) => v === '' || /^[A-Za-z0-9.;-]+=.+/.test(v), `Enter the ${what} as a DN, for example dc=example,dc=com.`);

export const DEFAULT_USER_FILTER = '(objectClass=inetOrgPerson)';
export const DEFAULT_PHONE_ATTRIBUTES = ['mobile', 'telephoneNumber'];

/** The Directory Services settings form. An empty bind password keeps the stored one. */
export const directorySettingsSchema = z
  .object({
    url: z
      .string({ error: 'Enter the directory URL.' })
      .trim()
      .regex(/^ldaps?:\/\/[^\s/?#]+\/?$/i, 'Enter an ldap:// or ldaps:// URL with the host and port only, for example ldaps://ldap.example.com:636.'),
    startTls: checkbox,
    caPem: optionalText.refine(
      (v) => v === null || /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v),
      'Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
    ),
    bindDn: dn('bind DN'),
    bindPassword: z
      .string()
      .optional()
      .nullable()
      .transform((v) => v || null),
    /** Tick to remove the stored password (an anonymous or DN-only bind). */
    clearBindPassword: checkbox,
    baseDn: dn('base DN').refine((v) => v !== '', 'Enter the base DN under which users are searched, for example ou=people,dc=example,dc=com.'),
    userFilter: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || DEFAULT_USER_FILTER)
      .superRefine((v, ctx) => {
        const problem = ldapFilterProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `This is not a valid LDAP filter. ${problem}` });
      }),
    groupDn: optionalText.refine((v) => v === null || /^[A-Za-z0-9.;-]+=.+/.test(v), 'Enter the group as a DN, for example cn=vpn-users,ou=groups,dc=example,dc=com.'),
    idAttribute: attribute('unique id (entryUUID, or objectGUID for Active Directory)'),
    usernameAttribute: attribute('username'),
    emailAttribute: attribute('email address'),
    firstNameAttribute: attribute('first name'),
    lastNameAttribute: attribute('last name'),
    /** Ordered; a comma- or space-separated string or a repeated field. */
    phoneAttributes: z.preprocess(
      (v) => (v === undefined || v === null ? DEFAULT_PHONE_ATTRIBUTES : Array.isArray(v) ? v : String(v).split(/[\s,]+/)),
      z
        .array(z.string().trim())
        .transform((list) => [...new Set(list.filter(Boolean))])
        .pipe(
          z
            .array(z.string().regex(ATTRIBUTE, 'Phone attributes are attribute names (letters, digits and "-"), for example mobile, telephoneNumber.'))
            .max(5, 'List at most 5 phone attributes.'),
        ),
    ),
    defaultRegion: z
      .string()
      .optional()
      .nullable()
      .transform((v) => v?.trim().toUpperCase() || null)
      .refine((v) => v === null || REGIONS.has(v), 'Choose a country from the list, or none.'),
    /** Empty or "off" = no schedule. */
    scheduleMinutes: z.preprocess(
      (v) => (v === undefined || v === null || v === '' || v === 'off' ? null : v),
      whole('schedule interval', 5, 10_080, 'minutes').nullable(),
    ),
    connectTimeoutSeconds: whole('connect timeout', 1, 300, 'seconds').default(10),
    operationTimeoutSeconds: whole('operation timeout', 1, 3600, 'seconds').default(60),
    pageSize: whole('page size', 1, 5000, 'entries').default(500),
    disableThresholdPercent: whole('safety threshold', 0, 100, 'percent').default(10),
  })
  .refine((v) => !(v.startTls && v.url.toLowerCase().startsWith('ldaps:')), {
    path: ['startTls'],
    message: 'StartTLS is for ldap:// URLs; an ldaps:// connection is already encrypted.',
  })
  .refine((v) => !(v.bindPassword && v.clearBindPassword), {
    path: ['bindPassword'],
    message: 'Either enter a new bind password or remove the stored one, not both.',
  });

export type DirectorySettingsInput = z.output<typeof directorySettingsSchema>;
export type DirectorySettingsFormValues = z.input<typeof directorySettingsSchema>;

type Preset = Pick<
  DirectorySettingsInput,
  'userFilter' | 'idAttribute' | 'usernameAttribute' | 'emailAttribute' | 'firstNameAttribute' | 'lastNameAttribute' | 'phoneAttributes'
>;

/** Attribute mapping and filter presets the form offers. */
export const DIRECTORY_PRESETS: Record<'openldap' | 'activeDirectory', Preset & { label: string }> = {
  openldap: {
    label: 'OpenLDAP',
    userFilter: DEFAULT_USER_FILTER,
    idAttribute: 'entryUUID',
    usernameAttribute: 'uid',
    emailAttribute: 'mail',
    firstNameAttribute: 'givenName',
    lastNameAttribute: 'sn',
    phoneAttributes: DEFAULT_PHONE_ATTRIBUTES,
  },
  activeDirectory: {
    label: 'Active Directory',
    // Enabled user accounts only (bit 2 of userAccountControl is ACCOUNTDISABLE).
    userFilter: '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
    idAttribute: 'objectGUID',
    usernameAttribute: 'sAMAccountName',
    emailAttribute: 'mail',
    firstNameAttribute: 'givenName',
    lastNameAttribute: 'sn',
    phoneAttributes: DEFAULT_PHONE_ATTRIBUTES,
  },
};
