import { PHONE_CAMPAIGNS, type CampaignCalendar } from '../../schemas/calendar';
import { ageOutOf, endInstantOf, instantAfter, instantOf } from '../calendar';
import { inTargetGroup, UNREACHED_AFTER_LETTER_STAGES, type CaseContext, type CaseStage, type SystemEvent } from './machine';
import { planDeadline } from './plan';

export interface Deadline {
  event: SystemEvent;
  /** Epoch milliseconds; in the past means due at once. */
  at: number;
}

/**
 * The next thing the calendar makes due for a case where it stands: what the workflow waits for when
 * nobody acts. A date already passed is due at once, so a late import or a moved date is never skipped.
 */
export interface DeadlineOptions {
  /**
   * The case keeps its own timer for the age limit (CaseFacts.agesOutOn): the workflow says so behind patched(), so a
   * case whose history was made without the timer replays without it.
   */
  ageOut?: boolean;
  /** The follow-up plan's review dates are timers too (the workflow turns them on behind its own patch). */
  reviews?: boolean;
}

export function nextDeadline(
  stage: CaseStage,
  context: CaseContext,
  calendar: CampaignCalendar,
  now: number,
  options: DeadlineOptions = {},
): Deadline {
  const yearEnd = endInstantOf(calendar.schoolYearEnd);
  const due: Deadline[] = [{ event: { type: 'SCHOOL_YEAR_ENDED' }, at: yearEnd }];
  if (options.ageOut && context.facts.agesOutOn && inTargetGroup(context)) {
    // 1 January as the cohort's calendar has it (a compressed one moves it); at the year end or later nobody leaves early.
    const at = ageOutOf(calendar, context.schoolYear);
    if (at < yearEnd) due.push({ event: { type: 'AGED_OUT' }, at });
  }
  const review = options.reviews ? planDeadline(stage, context.plan, calendar) : undefined;
  if (review) due.push(review);
  if (stage === 'awaitingLetter') {
    // A calendar without a letter date for the case's OS code (one made before the code was added to
    // OS_CODE_TABLE) makes no letter due: the case waits for the year end until a calendar with the date
    // arrives by the calendarChanged signal. Before, instantOf(undefined) threw and failed
    // the workflow task again and again; only such tasks take another course, no command of a history that
    // got past this point changes, so no patched() is needed.
    const letterDate: string | undefined = calendar.letters[context.osCode];
    if (letterDate !== undefined) due.push({ event: { type: 'LETTER_DUE' }, at: instantOf(letterDate) });
  }
  if (UNREACHED_AFTER_LETTER_STAGES.includes(stage)) {
    if (context.sms === 'notYet' && context.letter) {
      due.push({ event: { type: 'SMS_DUE' }, at: instantAfter(context.letter.sentOn, calendar.smsAfterLetters) });
    }
    if (stage === 'phoneCampaign' && context.phoneCampaign) {
      due.push({ event: { type: 'PHONE_CAMPAIGN_ENDED' }, at: endInstantOf(calendar.phoneCampaigns[context.phoneCampaign].until) });
    } else if (stage !== 'phoneCampaign') {
      // A campaign already over is not joined late; one under way is joined at once.
      for (const campaign of PHONE_CAMPAIGNS) {
        const span = calendar.phoneCampaigns[campaign];
        if (!context.phoneCampaignsDone.includes(campaign) && endInstantOf(span.until) > now) {
          due.push({ event: { type: 'PHONE_CAMPAIGN_STARTED', campaign }, at: instantOf(span.from) });
        }
      }
    }
  }
  // Earliest first; on a tie the year end comes last, so what was due before it still happens.
  return due.reduce((a, b) => (b.at < a.at || (b.at === a.at && a.event.type === 'SCHOOL_YEAR_ENDED') ? b : a));
}
