import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../schemas/config';
import { caseProjectionActivities } from './case-projection';
import { cohortImportActivities } from './cohort-import';
import { massOperationActivities } from './mass-operations';
import { reportActivities } from './reports';
import { retentionActivities } from './retention';
import { smsCampaignActivities } from './sms-campaign';

export function createActivities(pool: Pool, client: Client, config: Config) {
  return {
    ...caseProjectionActivities(pool, config.units),
    ...cohortImportActivities(pool, client, config),
    ...massOperationActivities(pool, client),
    ...smsCampaignActivities(pool, client, config),
    ...reportActivities(pool, client, config),
    ...retentionActivities(pool, client, config),
  };
}
