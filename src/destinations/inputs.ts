import { z } from 'zod';

/** A Meta ad account id as users paste it: `act_123` or `123`; stored without the prefix. */
export const AdAccountId = z
  .string()
  .trim()
  .regex(/^(act_)?\d{1,20}$/, 'must be an ad account id like act_1234567890 or 1234567890')
  .transform((value) => value.replace(/^act_/, ''));

export const ConnectDestinationInput = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  adAccountId: AdAccountId,
  accessToken: z.string().trim().min(10, 'must be a Meta access token'),
  appSecret: z.string().trim().min(1).optional(),
  graphBaseUrl: z
    .string()
    .url('must be a URL such as https://graph.facebook.com')
    // People paste the versioned URL the emulator and Meta's docs show; the version is configured apart.
    .transform((url) => url.replace(/\/+$/, '').replace(/\/v\d+\.\d+$/, ''))
    .optional(),
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').optional(),
});
export type ConnectDestinationInput = z.input<typeof ConnectDestinationInput>;

export const ReconnectDestinationInput = z.object({
  accessToken: z.string().trim().min(10, 'must be a Meta access token'),
  appSecret: z.string().trim().min(1).optional(),
});
export type ReconnectDestinationInput = z.input<typeof ReconnectDestinationInput>;
