import { z } from 'zod';
import { REPORTS } from '../calendar';
import { OS_CODES, type OsCode } from '../ot-codes';
import { apiErrorSchema } from './errors';

/**
 * The answers of the campaign's figures (client/api/routes/campaign-routes.ts): the flowchart's counters, the
 * reports and the stored reports, the evaluation meeting's figures, the campaign calendar. Counts only, never a
 * case. Instants are ISO strings.
 */

// ---- Counters --------------------------------------------------------------------------------------------------

/**
 * The counters of the flowchart (seed 001), per unit and for the county. A count that belongs to a moment not
 * yet reached (a phone campaign still ahead) is null: not zero, and not a guess.
 */
export const flowCountersSchema = z.object({
  /** Youth transferred with an OS code: every case of the cohort. */
  osBefore: z.number(),
  /** Still with an OS code after washing and the cross-check: those the standard letter is for. */
  osAfterWashing: z.number(),
  /** Letters in confirmed mailings: to the youth, and the guardians' copies. */
  lettersToYouth: z.number(),
  lettersToGuardians: z.number(),
  /** Still OTUK when their SMS fell due, two weeks after the letters. */
  otukAfterLetters: z.number(),
  /** Registered as sent an SMS. */
  smsSent: z.number(),
  /** Registered as sent the second SMS (the cohort's calendar sets whether there is one). */
  secondSmsSent: z.number(),
  /** OTUK and taken off the SMS list for want of a mobile when the SMS fell due (or a call found the number wrong before it went). */
  noMobile: z.number(),
  /** OTUK when the autumn phone campaign started. */
  otukAfterSms: z.number().nullable(),
  /** OTUK on the count's due date (31 Oct), as recorded then. */
  otukCounted: z.number().nullable(),
  /** OTUK when each phone campaign ended. */
  otukAfterAutumnCampaign: z.number().nullable(),
  otukAfterWinterCampaign: z.number().nullable(),
  otukNow: z.number(),
  /** Nobody has reached them (OTUK or still an OS code, no reply ever); after the year end, as the year end found them. */
  unreachedNow: z.number(),
  /** Reached (a reply came) and no outcome set yet: OTUK by status, but not unreached. */
  awaitingOutcomeNow: z.number(),
  /** Left the target group on 1 January at the age limit (ALDER_IM): out of every count of the group from then on. */
  agedOut: z.number(),
  /** In OT's cohort the school year before too, found by the person key at import (UDIR publishes the share). */
  twoYearsRunning: z.number(),
  /** Replies forwarded to a caseworker (contactEstablished) that wait for an outcome past the calendar's replyOverdueAfter, now. */
  repliesOverdue: z.number(),
  /** Follow-up plans whose review is overdue (past reviewOverdueAfter after its date), now. */
  reviewsOverdue: z.number(),
});
export type FlowCounters = z.infer<typeof flowCountersSchema>;

/** GET /counters/:schoolYear: the county's and each unit's. */
export const cohortCountersSchema = z.object({ county: flowCountersSchema, units: z.record(z.string(), flowCountersSchema) });
export type CohortCounters = z.infer<typeof cohortCountersSchema>;

// ---- Reports ---------------------------------------------------------------------------------------------------

/** Status counts of a report: in all, per UDIR group (1–5, and OS for a case still holding an OS code), per code that occurs. */
export const statusCountsSchema = z.object({
  total: z.number(),
  byGroup: z.record(z.string(), z.number()),
  byCode: z.record(z.string(), z.number()),
});

/** GET /reports/:schoolYear?asOf=: the stored report of that moment, or counts made now from the journal (not stored). */
export const reportSnapshotSchema = z.object({
  schoolYear: z.number(),
  /** The report it was stored for; absent for one made for another moment and not stored. */
  report: z.enum(REPORTS).optional(),
  /** The moment the statuses are for. */
  asOf: z.string(),
  /** When it was stored, and by which schedule or person; absent when not stored. */
  takenAt: z.string().optional(),
  takenBy: z.string().optional(),
  counts: z.object({
    county: statusCountsSchema,
    /** Every configured unit, with zeros where it has no case, and any other unit a case is in. */
    units: z.record(z.string(), statusCountsSchema),
  }),
});
export type ReportSnapshotView = z.infer<typeof reportSnapshotSchema>;

/** One of the year's four report moments: when it falls, whether it is stored, and its totals. */
export const storedReportSchema = z.object({
  report: z.enum(REPORTS),
  /** The calendar's date (or moment) of the report. */
  date: z.string(),
  stored: z.boolean(),
  asOf: z.string().optional(),
  takenAt: z.string().optional(),
  takenBy: z.string().optional(),
  /** The county's totals: cases counted, and OTUK among them. */
  cases: z.number().optional(),
  otuk: z.number().optional(),
});
export type StoredReport = z.infer<typeof storedReportSchema>;

/** GET /reports/:schoolYear/stored. */
export const storedReportsSchema = z.object({ schoolYear: z.number(), reports: z.array(storedReportSchema) });
export type StoredReports = z.infer<typeof storedReportsSchema>;

// ---- Evaluation ------------------------------------------------------------------------------------------------

/** OTUK at a moment: a point of the chart of how OTUK fell over the year. */
export const otukPointSchema = z.object({ at: z.string(), otuk: z.number() });
export type OtukPoint = z.infer<typeof otukPointSchema>;

/** A calendar moment drawn on the chart (letters, SMS, phone campaigns, reports). */
export const chartMarkSchema = z.object({ label: z.string(), at: z.string() });
export type ChartMark = z.infer<typeof chartMarkSchema>;

export const unitEvaluationSchema = z.object({
  /** The unit code, or 'county' for all units together. */
  unit: z.string(),
  unitName: z.string(),
  counters: flowCountersSchema,
  series: z.array(otukPointSchema),
});
export type UnitEvaluation = z.infer<typeof unitEvaluationSchema>;

/** GET /evaluation/:schoolYear: the summary for an evaluation meeting (weeks 50 and 22), each unit's counters beside the chart of its OTUK. */
export const evaluationSchema = z.object({
  schoolYear: z.number(),
  /** Which meeting, when the summary is for one. */
  meeting: z.enum(['autumn', 'spring']).optional(),
  /** The moment the figures are for. */
  asOf: z.string(),
  county: unitEvaluationSchema,
  units: z.array(unitEvaluationSchema),
  marks: z.array(chartMarkSchema),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

// ---- Calendar --------------------------------------------------------------------------------------------------

const perOsCode = z
  .object(Object.fromEntries(OS_CODES.map((c) => [c, z.string()])) as Record<OsCode, z.ZodString>)
  // A stored calendar may carry the dates of a code this release's table lacks: they are sent as stored.
  .catchall(z.string());
const daySpan = z.object({ from: z.string(), until: z.string() });

/** A cohort's campaign calendar as sent (schemas/calendar.ts's CampaignCalendar): each value an ISO date or date-time. */
export const campaignCalendarAnswerSchema = z.object({
  washing: perOsCode,
  crosscheck: daySpan,
  letters: perOsCode,
  smsAfterLetters: z.string(),
  /** Absent: the cohort sends one SMS. */
  secondSmsAfterFirst: z.string().optional(),
  otukCountDue: z.string(),
  phoneCampaigns: z.object({ autumn: daySpan, winter: daySpan }),
  reports: z.object({ november: z.string(), february: z.string(), june: z.string() }),
  evaluations: z.object({ autumn: z.string(), spring: z.string() }),
  schoolYearEnd: z.string(),
  replyOverdueAfter: z.string().optional(),
  reviewOverdueAfter: z.string().optional(),
});

/** GET /calendar/:schoolYear: the calendar the cohort's cases follow, and its version. */
export const storedCalendarSchema = z.object({
  version: z.number(),
  calendar: campaignCalendarAnswerSchema,
  /** False while the cohort uses the default calendar of its school year. */
  custom: z.boolean(),
  changedAt: z.string().optional(),
});
export type StoredCalendarView = z.infer<typeof storedCalendarSchema>;

/** PUT /calendar/:schoolYear: the stored calendar, and how many open cases were told of it. */
export const calendarChangedSchema = storedCalendarSchema.extend({
  told: z.object({ signalled: z.number(), closed: z.number() }),
});
export type CalendarChanged = z.infer<typeof calendarChangedSchema>;

/** PUT /calendar/:schoolYear refused (400): the calendar's first issue, after its key ("calendar: letters.OSON: ..."). */
export const calendarRefusedSchema = apiErrorSchema;
