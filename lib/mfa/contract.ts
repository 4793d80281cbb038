import 'server-only';
/**
 * The lib/mfa API (issue 5). Everything here returns DTOs: never a code, code hash or token hash.
 * Pages and actions import from '@/lib/mfa' only.
 */
import type { Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';

export type ChallengePurpose = 'sign_in' | 'enrol' | 'change_phone';

/** Whether the user must pass an SMS code at sign-in, and why. */
export interface MfaRequirement {
  required: boolean;
  /** policy: the account policy requires it; override: the user's override says required; exempt: the user is exempt; off: policy off. */
  reason: 'policy' | 'override' | 'exempt' | 'off';
}

/** The user's factor as the portal and admin pages show it. */
export interface MfaFactorView {
  state: 'none' | 'verified' | 'locked';
  /** `+44 •••• ••8750` of the verified number, when there is one. */
  maskedPhone: string | null;
  /** The masked previously verified number (reused by "set up again" without a number). */
  maskedPreviousPhone: string | null;
  verifiedAt: Date | null;
  failureCount: number;
  lockedAt: Date | null;
}

/** The number on file for enrolment (users.phone_e164 / directory), with why it can't be used if so. */
export interface PhoneOnFile {
  /** E.164 or null. A phone number is not a secret; pages prefill the input with it. */
  e164: string | null;
  raw: string | null;
  /** true for directory users: the portal shows the number read-only. */
  fromDirectory: boolean;
  /** Plain words when this number can't receive SMS (no country code, invalid, landline, country not allowed); null when usable. */
  problem: string | null;
}

export type SendProblem =
  | 'invalid_number' // not a valid number for its country
  | 'not_mobile' // valid, but of a type that can't receive SMS
  | 'country_not_allowed' // outside the SMS country allow-list
  | 'cooldown' // resend asked for within 30 s
  | 'phone_limit' // 5 per number per hour
  | 'user_limit' // 10 per user per day
  | 'ip_limit' // the per-IP cap (setting)
  | 'locked' // the factor is locked after 100 failures
  | 'no_number' // nothing to send to
  | 'send_failed'; // Twilio refused or could not be reached (message says why in plain words)

export type StartChallengeResult =
  | { ok: true; challengeId: string; maskedPhone: string; resendAvailableAt: Date; expiresAt: Date }
  | { ok: false; problem: SendProblem; message: string; retryAfterSeconds?: number };

export type VerifyProblem = 'wrong_code' | 'expired' | 'too_many_attempts' | 'locked' | 'no_challenge' | 'ip_limit';

export type VerifyChallengeResult =
  | { ok: true; purpose: ChallengePurpose }
  | { ok: false; problem: VerifyProblem; message: string; attemptsLeft?: number };

export interface StartChallengeInput {
  userId: string;
  /** The auth session the code is bound to (sign-in, enrolment, change): another session can't use it. */
  sessionId: string;
  purpose: ChallengePurpose;
  /**
   * sign_in: ignored (the verified number). enrol: the number entered, or undefined to use the previously
   * verified number, else the number on file. change_phone: the new number (required).
   */
  phoneE164?: string;
  client: ClientInfo;
}

export interface VerifyChallengeInput {
  userId: string;
  sessionId: string;
  purpose: ChallengePurpose;
  code: string;
  client: ClientInfo;
}

export interface TrustedBrowserView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  /** True for the browser making the request. */
  current: boolean;
}

export interface SmsMessageView {
  id: string;
  purpose: string;
  /** Full E.164: admins need the number to correct it. */
  to: string;
  status: 'refused' | 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'dev_outbox';
  errorCode: number | null;
  /** Plain words for admins, e.g. "21211: the number is not valid". */
  problem: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type { Actor, ClientInfo };
