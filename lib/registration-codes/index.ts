import 'server-only';
export { CODE_ALPHABET, DEFAULT_CODE_LENGTH, MAX_CODE_LENGTH, MIN_CODE_LENGTH, formatCode, normaliseCode } from './code-format';
export { generateCodes, generateCodesForNewUsers, countUsersWithoutCodes } from './generate-codes';
export { redeemCode, type RedeemInput, type RedeemResult, type RedeemRefusal, type RegisteredDevice } from './redeem-code';
export { REDEEM_LIMITS } from './redeem-limits';
export { revokeCode, type RevokeCodeResult } from './revoke-code';
export { sweepExpiredCodes } from './expire-codes';
export { streamValidCodesCsv, CODES_CSV_HEADER } from './stream-valid-codes-csv';
export { redeemRequestSchema, type RedeemRequest } from './schemas';
