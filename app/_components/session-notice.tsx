const REASONS: Record<string, string> = {
  idle: 'You were signed out after 30 minutes without activity. Sign in again to continue.',
  expired: 'Your session reached its 12-hour limit. Sign in again to continue.',
  revoked: 'Your session was ended (for example after a password change). Sign in again to continue.',
  disabled: 'Your account is disabled. Contact your administrator if you need access.',
  'wrong-realm': 'That page needs a different kind of account. Sign in with the right account to continue.',
  'signed-out': 'You are signed out.',
  'setup-complete': 'The first admin was created. Sign in below.',
};

/** Explains why the person landed on a sign-in page. */
export function SessionNotice({ reason }: { reason?: string }) {
  const text = reason ? REASONS[reason] : undefined;
  if (!text) return null;
  return (
    <div className={reason === 'signed-out' || reason === 'setup-complete' ? 'alert success' : 'alert info'} role="status">
      {text}
    </div>
  );
}
