import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { readCohortCalendar } from '../db/cohort-calendar';
import { forEachConcurrently } from '../domain/concurrently';
import { loadSmsTemplate, SmsTemplateError, type SmsTemplate } from '../domain/sms-template';
import type { Config } from '../schemas/config';
import { instantAfter } from '../workflows/calendar';
import { UNREACHED_AFTER_LETTER_STAGES } from '../workflows/youth-case/machine';
import {
  SECOND_SMS_STEP,
  SMS_STEP,
  smsMessageKey,
  type SmsStep,
  type SmsCampaignActivities,
  type SmsCampaignCounts,
  type SmsPage,
  type SmsPageRequest,
} from '../workflows/contracts/sms-campaign';
import { findUnit } from '../schemas/units';
import { casesNotYetSmsDue, countCasesWithoutMobile } from '../db/cases';
import { letterMailings } from '../db/mailings';
import { campaignMessageCounts, messageRecord, secondSmsListPage, smsListPage } from '../db/sms-messages';
import { deliverSms } from './sms-delivery';
import { createSmsGateway, SmsGatewayError } from './sms-gateway';
import { youthCaseWorkflowId, secondSmsSentSignal, smsSentSignal } from '../workflows/contracts/youth-case';

const SEND_CONCURRENCY = 16;

/** A broken template is the system owner's to fix: retrying will not mend it. */
function loadTemplateOrFail(templatesDir: string, schoolYear: number, step: SmsStep): SmsTemplate {
  try {
    return loadSmsTemplate(templatesDir, schoolYear, step === SECOND_SMS_STEP ? 'sms2.txt' : 'sms.txt');
  } catch (err) {
    if (err instanceof SmsTemplateError) throw ApplicationFailure.nonRetryable(err.message, 'SmsTemplateError');
    throw err;
  }
}

export function smsCampaignActivities(pool: Pool, client: Client, config: Config): SmsCampaignActivities {
  const gateway = createSmsGateway(config.sms);
  const smsTemplate = (schoolYear: number, step: SmsStep) => loadTemplateOrFail(config.templatesDir, schoolYear, step);

  /** When each of the unit's letter mailings makes its SMS due, by the cohort's calendar now. */
  async function lettersSmsDue(schoolYear: number, unit: string): Promise<{ mailingId: string; dueAt: number }[]> {
    const { calendar } = await readCohortCalendar(pool, schoolYear);
    const mailings = await letterMailings(pool, schoolYear, unit);
    return mailings.map((m) => ({ mailingId: m.mailingId, dueAt: instantAfter(m.sentOn, calendar.smsAfterLetters) }));
  }

  return {
    /** The moment the SMS of a letters mailing sent on that day is due (epoch ms), by the cohort's calendar now. */
    async smsCampaignDue(schoolYear: number, lettersSentOn: string): Promise<number> {
      return instantAfter(lettersSentOn, (await readCohortCalendar(pool, schoolYear)).calendar.smsAfterLetters);
    },

    /** The second SMS is due this long after the first of the same mailing fell due; null when the cohort has none. */
    async secondSmsDue(schoolYear: number, lettersSentOn: string): Promise<number | null> {
      const { calendar } = await readCohortCalendar(pool, schoolYear);
      if (!calendar.secondSmsAfterFirst) return null;
      const firstDue = new Date(instantAfter(lettersSentOn, calendar.smsAfterLetters)).toISOString();
      return instantAfter(firstDue, calendar.secondSmsAfterFirst);
    },

    /**
     * Each case turns "SMS due" on its own timer at the same moment the campaign wakes: wait (a bounded
     * while) until the unit's cases whose SMS is due by now have done so, so none misses the campaign.
     */
    async awaitSmsDue(schoolYear: number, unit: string, maxWaitMs: number): Promise<number> {
      const until = Date.now() + maxWaitMs;
      const due = (await lettersSmsDue(schoolYear, unit)).filter((m) => m.dueAt <= Date.now()).map((m) => m.mailingId);
      for (;;) {
        const n = await casesNotYetSmsDue(pool, due, UNREACHED_AFTER_LETTER_STAGES);
        Context.current().heartbeat(n);
        if (n === 0 || Date.now() >= until) return n;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },

    /** Sends the SMS to the next page of the unit's cases that have it due and a mobile; each message once, ever. */
    async sendSmsPage(req: SmsPageRequest): Promise<SmsPage> {
      const step = req.step ?? SMS_STEP;
      const template = smsTemplate(req.schoolYear, step);
      const unitName = findUnit(config.units, req.unit)?.name ?? req.unit;
      const page = step === SECOND_SMS_STEP ? await secondSmsListPage(pool, req) : await smsListPage(pool, req);
      const sentSignal = step === SECOND_SMS_STEP ? secondSmsSentSignal : smsSentSignal;
      const tally: SmsPage = { already: 0, last: page.at(-1)?.case_id };
      await forEachConcurrently(page.length, SEND_CONCURRENCY, async (i) => {
        const row = page[i];
        const key = smsMessageKey(row.case_id, step);
        try {
          await deliverSms(pool, gateway, {
            key,
            caseId: row.case_id,
            schoolYear: req.schoolYear,
            unit: req.unit,
            step,
            campaignId: req.campaignId,
            to: row.mobile,
            body: template({ fornamn: row.first_name, eining: unitName }),
          });
        } catch (err) {
          // A refused number is recorded as failed and must not hold back the rest; a gateway that is down fails the page, which is retried.
          if (!(err instanceof SmsGatewayError) || err.retryable) throw err;
        }
        // Which run handed it over and when the gateway took it are in the record, whichever call made it.
        const m = await messageRecord(pool, key);
        if (m && m.campaign_id !== req.campaignId) tally.already++;
        if (m?.status === 'sent' || m?.status === 'delivered') {
          try {
            await client.workflow
              .getHandle(youthCaseWorkflowId(req.schoolYear, row.case_id))
              .signal(sentSignal, { sentOn: (m.sent_at ?? new Date()).toISOString(), operator: req.by });
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        Context.current().heartbeat(tally);
      });
      return tally;
    },

    /**
     * What a campaign run handed over, from what is recorded: a page retried after a partial failure no
     * longer selects the cases it already told, so the pages cannot count this.
     */
    async smsCampaignCounts(campaignId: string, step: SmsStep = SMS_STEP): Promise<SmsCampaignCounts> {
      const byStatus = await campaignMessageCounts(pool, campaignId, step);
      const n = (...statuses: string[]) => byStatus.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row.n, 0);
      return { sent: n('sent', 'delivered'), queued: n('queued', 'exported'), failed: n('failed') };
    },

    /** The unit's still-unknown youth with no mobile: taken off the SMS list, their names noted (seed). */
    async smsNoMobileCount(schoolYear: number, unit: string): Promise<number> {
      return countCasesWithoutMobile(pool, { schoolYear, unit, stages: UNREACHED_AFTER_LETTER_STAGES });
    },
  };
}
