import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_FILE = 'secret.key';
const VERSION = 'v1';

/**
 * Encrypts tokens and app secrets at rest with AES-256-GCM. A stored value reads
 * `v1.<iv>.<tag>.<ciphertext>` in base64url, so a later key scheme can sit beside it.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
    this.#key = key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map(encodePart).join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) {
      throw new Error('A stored secret is not in a format this version can read');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      return plain.toString('utf8');
    } catch (cause) {
      throw new Error(
        'A stored secret cannot be decrypted: SOURCESIBLE_SECRET_KEY (or the key file) is not ' +
          'the key it was saved with. Restore that key, or reconnect the destination.',
        { cause },
      );
    }
  }
}

function encodePart(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}

/**
 * The key comes from SOURCESIBLE_SECRET_KEY (64 hex characters or base64) when set;
 * otherwise from `secret.key` in the data folder, created once with mode 0600.
 */
export function loadSecretKey(options: { envKey?: string; dataDir: string }): Buffer {
  if (options.envKey) return parseKey(options.envKey);

  const path = join(options.dataDir, KEY_FILE);
  if (existsSync(path)) return parseKey(readFileSync(path, 'utf8').trim());

  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function parseKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new Error('The secret key must be 32 bytes: 64 hex characters or 44 base64 characters');
  }
  return key;
}
