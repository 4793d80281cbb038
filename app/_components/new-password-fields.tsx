import type { ActionResult } from '@/lib/actions/result';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/passwords/schema';
import { TextField } from './form-fields';

export const NEW_PASSWORD_HINT = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Spaces, emoji and any other characters are fine, and a few unrelated words make a good password. Common passwords and ones that contain your username or email are refused.`;

/**
 * "New password" and "Confirm new password" (the fields every set-password schema has). With a
 * username, also a hidden username field so password managers save the right account.
 */
export function NewPasswordFields({ state, username, label = 'New password' }: { state?: ActionResult<unknown>; username?: string; label?: string }) {
  return (
    <>
      {username ? <input type="text" name="username" autoComplete="username" defaultValue={username} hidden readOnly /> : null}
      <TextField name="password" label={label} type="password" autoComplete="new-password" hint={NEW_PASSWORD_HINT} required state={state} />
      <TextField name="confirmPassword" label={`Confirm ${label.toLowerCase()}`} type="password" autoComplete="new-password" required state={state} />
    </>
  );
}
