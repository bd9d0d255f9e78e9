import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from './secrets.ts';

// scrypt's recommended interactive cost (N = 2^15) takes ~50-100 ms and 32 MiB;
// maxmem must allow 128 * N * r bytes.
const COST = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt>$<hash>` with a fresh salt for this user. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  const parts = ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')];
  return parts.join('$');
}

/** True when the password matches the stored hash; false for a wrong one or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;

  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: COST.maxmem };
  const key = await derive(password, Buffer.from(salt, 'base64'), options);
  return safeEqual(key.toString('base64'), expected);
}

/**
 * A hash no password matches, checked when the username is unknown, so that a
 * wrong username takes as long to refuse as a wrong password.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
