import 'server-only';

export { describeSsoFailure, isSsoFailureReason, SSO_FAILURE_REASONS, type SsoFailureReason } from './failures';
export { DiscoveryError, fetchDiscovery, type DiscoveryFindings } from './discovery';
export { ssoSettingsSchema, startSsoSignInSchema, type SsoSettingsInput } from './schemas';
export {
  getSsoSettings,
  getSsoSignInOptions,
  loadSsoConfig,
  saveSsoSettings,
  SsoSettingsError,
  testSsoProvider,
  type SsoConfig,
  type SsoSettingsDto,
  type SsoTestResult,
} from './settings';
export { completeSsoSignIn, recordSsoFailure, SsoRefusal, type SsoSignInResult } from './sign-in';
export { describeSsoReauthFailure, isSsoReauthFailure, SSO_REAUTH_FAILURES, type SsoReauthFailure } from './reauth-failures';
export {
  chooseReauthenticationMethod,
  confirmSsoReauthentication,
  getReauthenticationMethod,
  recordSsoReauthFailure,
  SSO_REAUTH_MAX_AGE_SECONDS,
  type ReauthenticationMethod,
  type SsoReauthResult,
} from './reauthenticate';
