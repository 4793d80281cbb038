import 'server-only';
import { z } from 'zod';
import { DEVICE_PLATFORMS } from '@/lib/devices/device-platforms';

/** The body of POST /api/v1/client/register (the OpenAPI document describes the same shape). */
export const redeemRequestSchema = z.object({
  code: z.string().max(64),
  device: z.object({
    name: z.string().trim().min(1).max(100),
    platform: z.enum(DEVICE_PLATFORMS),
  }),
});

export type RedeemRequest = z.infer<typeof redeemRequestSchema>;
