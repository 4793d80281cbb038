/** A change the settings refuse, with the form field it concerns (the action shows it next to that field). */
export class SettingsRefusedError extends Error {
  constructor(
    readonly field: 'provisioningMethod' | 'mfaPolicy',
    message: string,
    /** For the MFA rule: how many users have MFA required. */
    readonly usersRequiringMfa: number,
  ) {
    super(message);
    this.name = 'SettingsRefusedError';
  }
}
