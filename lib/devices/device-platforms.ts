import 'server-only';
import { schema } from '@/db/client';

/** The platforms a VPN client can register as (the database enum is the source of truth). */
export const DEVICE_PLATFORMS = schema.devicePlatform.enumValues;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];
