/**
 * Every error a client can receive, as one union: the kiosk and admin map each code to a
 * friendly sentence in their message catalogs, so the server's `message` is only a fallback
 * for API users and never carries internal details.
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'RATE_LIMITED',
  'SETUP_ALREADY_DONE',
  'USERNAME_TAKEN',
  'ACCOUNT_DISABLED',
  'DEVICE_TOKEN_INVALID',
  'DEVICE_MODE_FORBIDDEN',
  'PAIRING_CODE_INVALID',
  'CARD_UNKNOWN',
  'CARD_FORGED',
  'CARD_REVOKED',
  'PHONE_DIGITS_REQUIRED',
  'PHONE_DIGITS_WRONG',
  'VOLUNTEER_SUSPENDED',
  'GUARDIAN_CONSENT_REQUIRED',
  'DUPLICATE_VOLUNTEER',
  'NO_OPEN_ACTIVITY',
  'ACTIVITY_REQUIRED',
  'ACTIVITY_NOT_OPEN',
  'ACTIVITY_FULL',
  'SCAN_TIME_INVALID',
  'SCAN_ID_REUSED',
  'INSUFFICIENT_POINTS',
  'OUT_OF_STOCK',
  'GOODS_WITHDRAWN',
  'ALREADY_VOIDED',
  'REDEMPTION_ID_REUSED',
  'CONFLICT',
  'REQUEST_STATE',
  'OP_ID_REUSED',
  'STORE_UNAVAILABLE',
  'INTERNAL_ERROR',
  // Sign-ups and the kiosk gate (issue 15).
  'SIGNUP_CLOSED',
  'SIGNUP_DEADLINE_PASSED',
  'SIGNUPS_PAUSED',
  'SIGNUP_REQUIRED',
  'INSURANCE_REQUIRED',
  'TRAINING_REQUIRED',
  'GUARDIAN_REQUIRED',
  // The volunteer's phone (issue 14)
  'CARD_REQUIRED',
  'SNAP_STATE',
  // District hub (hub/, docs/district.md)
  'JOIN_KEY_INVALID',
  'JOIN_KEY_REVOKED',
  'LINK_OUT_OF_ORDER',
  // Kiosk hardening (issue 11): a counter tablet must be unlocked by staff; too many wrong phone digits lock a card number for a while.
  'COUNTER_LOCKED',
  'CARD_LOCKED',
  // A backup chosen for a restore that is damaged, or names files a restore keeps in place (issue 11).
  'BACKUP_INVALID',
  'BACKUP_RESERVED_NAME',
  // A change dated in a closed year whose history was moved to its archive file (issue 16, docs/architecture.md).
  'YEAR_ARCHIVED',
  // Backups encrypted with a passphrase (issue 15, PIPL).
  'BACKUP_PASSPHRASE_REQUIRED',
  'BACKUP_PASSPHRASE_WRONG',
  'BACKUP_KEY_CHANGED',
  // A training not opened at the kiosk by staff, or closed (issue 15).
  'TRAINING_NOT_OPEN',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Structured facts a client may show, e.g. the open activities to choose from or points missing. */
  details?: Record<string, unknown>;
}

/** Thrown by domain rules and routes; the HTTP error middleware and socket handlers turn it into a WireError. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toWire(): WireError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}
