/** Settings the server refuses (beyond the form schema), by form field, for the action to show next to each field. */
export class DirectorySettingsError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(' '));
    this.name = 'DirectorySettingsError';
  }
}
