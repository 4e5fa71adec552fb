import { NATIONAL_ID_LIKE } from '../workflows/youth-case/refusals';

/** Who the journal names for a reply that came in by SMS and matched its case by itself. */
export const INBOUND_SMS_USER = 'sms-inbound';
const NOTE_LENGTH = 500;

/** The reply's note (stored in case_notes, its id sent to the case) is the text the youth wrote, unless it holds something like a national id: then it stays in the inbox only. */
export function replyNoteOf(text: string, inboundId: string): string {
  if (NATIONAL_ID_LIKE.test(text)) return `SMS reply ${inboundId}: the text is kept in the SMS inbox (it holds a number like a national id)`;
  return text.length > NOTE_LENGTH ? `${text.slice(0, NOTE_LENGTH)}…` : text;
}

/** An SMS reply matches a case by itself only when exactly one open case has its mobile; otherwise why it waits for office staff. */
export function whyUnmatched(openCasesWithMobile: number): string | undefined {
  if (openCasesWithMobile === 0) return 'no open case has this mobile number';
  if (openCasesWithMobile > 1) return `${openCasesWithMobile} open cases have this mobile number`;
  return undefined;
}

/** The update id of a reply registered from an inbound SMS: the provider sending it again, or a retry, registers one reply. */
export const smsReplyUpdateId = (inboundId: string) => `sms-reply-${inboundId}`;
