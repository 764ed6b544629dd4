import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are high-entropy random values, so a plain sha256 is enough to store them safely (no scrypt needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
