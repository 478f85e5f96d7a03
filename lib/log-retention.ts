import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { LogRetention } from './config/environment-config';

export type { LogRetention };

/**
 * The configuration's retention as CloudWatch's. The number needs no mapping: RetentionDays
 * is a numeric enum of the allowed day counts, and the config loader has already refused any
 * other number (ALLOWED_LOG_RETENTION_DAYS).
 */
export function retentionDays(days: LogRetention): RetentionDays {
  return days === 'infinite' ? RetentionDays.INFINITE : days;
}
