import 'server-only';
export {
  requestPasswordReset,
  passwordResetLink,
  RESET_LINK_TTL_SECONDS,
  RESET_REQUEST_LIMITS,
  type ResetRequestOutcome,
} from './request-password-reset';
export { inspectPasswordResetLink, completePasswordReset, type ResetLink, type PasswordResetResult } from './reset-password';
export { changePassword, CHANGE_FAILURE_LIMIT, type ChangePasswordResult } from './change-password';
