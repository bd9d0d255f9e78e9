import { createHmac } from 'node:crypto';

/**
 * appsecret_proof as Meta's "Securing Requests" page defines it: lowercase hex
 * HMAC-SHA256 keyed by the app secret over the access token. Sent with every call
 * when the app secret is known, so a leaked token alone cannot be replayed by an
 * app that requires proofs.
 *
 * @example makeAppSecretProof('dummySecret', 'ABC') // 'b65114…4732'
 */
export function makeAppSecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken, 'utf8').digest('hex');
}

/**
 * The timed variant some connectors send alongside `appsecret_time` (unix
 * seconds): the message is `token|time`. Kept for reading their traffic; the
 * client sends the classic proof.
 */
export function makeTimedAppSecretProof(
  appSecret: string,
  accessToken: string,
  appsecretTime: number,
): string {
  return makeAppSecretProof(appSecret, `${accessToken}|${appsecretTime}`);
}
