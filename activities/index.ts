import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../schemas/config';
import { caseProjectionActivities } from './case-projection';
import { cohortImportActivities } from './cohort-import';
import { massOperationActivities } from './mass-operations';
import { smsCampaignActivities } from './sms-campaign';

export function createActivities(pool: Pool, client: Client, config: Config) {
  return {
    ...caseProjectionActivities(pool),
    ...cohortImportActivities(pool, client, config),
    ...massOperationActivities(pool, client),
    ...smsCampaignActivities(pool, client, config),
  };
}
