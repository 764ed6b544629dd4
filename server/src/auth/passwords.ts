import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../protocol/errors.ts';
import { Semaphore, SemaphoreFullError } from '../security/concurrency.ts';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * scrypt runs on libuv's thread pool, the same threads that fdatasync the journal before every
 * scan ack. Two hashes at a time leave the rest of the pool (8 threads, sized by the entry point)
 * free for the store, so a flood of logins queues here instead of in front of a kiosk's ack.
 * Process-wide on purpose: the pool it protects is process-wide. A full queue is refused at once.
 */
const hashing = new Semaphore(2, 64);

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const work = () =>
    new Promise<Buffer>((resolve, reject) => {
      scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
    });
  return hashing.run(work).catch((error: unknown) => {
    if (error instanceof SemaphoreFullError) throw new AppError('RATE_LIMITED', 'The server is busy checking passwords; please try again in a moment', 429);
    throw error;
  });
}

/**
 * Checked against an unknown username so the answer takes as long as for a known one: the time
 * of a wrong login must not tell whether the account exists. Same parameters as a real hash;
 * no password derives to it.
 */
const DUMMY_HASH = ['scrypt', N, R, P, Buffer.alloc(16).toString('base64url'), Buffer.alloc(KEY_LENGTH).toString('base64url')].join('$');

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Verifies against the account's hash, or against a dummy one (always false) when there is no account. */
export async function verifyPasswordOf(password: string, stored: string | undefined): Promise<boolean> {
  const valid = await verifyPassword(password, stored ?? DUMMY_HASH);
  return stored !== undefined && valid;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
