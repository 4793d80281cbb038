const REASONS: Record<string, string> = {
  idle: 'You were signed out after 30 minutes without activity. Sign in again to continue.',
  expired: 'Your session reached its 12-hour limit. Sign in again to continue.',
  revoked: 'Your session was ended (for example after a password change). Sign in again to continue.',
  disabled: 'Your account is disabled. Contact your administrator if you need access.',
  'wrong-realm': 'That page needs a different kind of account. Sign in with the right account to continue.',
  'signed-out': 'You are signed out.',
  'setup-complete': 'The first admin was created. Sign in below.',
  'password-reset': 'Your password was changed and every other session was signed out. Sign in with your new password.',
  activated: 'Your account is active. Sign in with your username or email and your new password.',
};

const SUCCESS = new Set(['signed-out', 'setup-complete', 'password-reset', 'activated']);

/** Explains why the person landed on a sign-in page. */
export function SessionNotice({ reason }: { reason?: string }) {
  const text = reason ? REASONS[reason] : undefined;
  if (!reason || !text) return null;
  return (
    <div className={SUCCESS.has(reason) ? 'alert success' : 'alert info'} role="status">
      {text}
    </div>
  );
}
