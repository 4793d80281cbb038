import 'server-only';

/** Name of the cookie that holds a trusted-browser token ("remember this device"). */
export const TRUSTED_BROWSER_COOKIE = 'onramp_trusted_browser';
/** Seconds before the same session may ask for another code of the same purpose. */
export const RESEND_COOLDOWN_SECONDS = 30;
/** How long a code stays valid. */
export const CODE_TTL_SECONDS = 600;
/** Wrong guesses allowed per code; the code is dead after that. */
export const MAX_ATTEMPTS_PER_CODE = 5;
/** Consecutive wrong codes (across challenges) that lock the factor until an admin unlocks it. */
export const LOCK_AFTER_FAILURES = 100;
/** Send caps counted from sms_messages. */
export const SENDS_PER_PHONE_PER_HOUR = 5;
export const SENDS_PER_USER_PER_DAY = 10;
/** The longest "remember this device" period. */
export const MAX_REMEMBER_DAYS = 30;
