import 'server-only';
/** The lib/mfa API (issue 5): SMS second factor, challenges, trusted browsers. Pages and actions import from here. */
export type * from './contract';
export { getMfaSummary, type MfaSummary } from './get-mfa-summary';
export { describeTwilioError } from '@/lib/sms';
export { TRUSTED_BROWSER_COOKIE, RESEND_COOLDOWN_SECONDS, CODE_TTL_SECONDS } from './constants';
export { getMfaRequirement } from './get-mfa-requirement';
export { getMfaFactor } from './get-mfa-factor';
export { getPhoneOnFile } from './get-phone-on-file';
export { validateSmsNumber } from './validate-sms-number';
export { startChallenge } from './start-challenge';
export { verifyChallenge } from './verify-challenge';
export { removeFactor } from './remove-factor';
export {
  trustBrowser,
  isBrowserTrusted,
  listTrustedBrowsers,
  forgetTrustedBrowser,
  trustedBrowserCookieOptions,
  revokeTrustedBrowsers,
} from './trusted-browsers';
export { resetMfa, type ResetMfaResult } from './admin-reset-mfa';
export { unlockMfa } from './admin-unlock-mfa';
export { listUserSmsMessages } from './admin-sms-log';
export { listRecentSmsFailures, SMS_FAILURES_PAGE_SIZE, type SmsFailurePage, type SmsFailureView } from './admin-sms-failures';
export { listSharedNumbers, countUsersSharingNumber, listOtherUsersWithNumber, type SharedNumberView, type NumberUser } from './admin-shared-numbers';
export { getAdminMfaState, type AdminMfaState } from './admin-mfa-state';
export { getChallengeStatus, getChallengePhone, type ChallengeStatus } from './get-challenge-status';
