import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { recordDeliveryReport } from '../../../activities/sms-delivery';
import { readCohortCalendar } from '../../../db/cohort-calendar';
import { visibleUnits } from '../../../domain/access-policy';
import { CalendarError, parseCalendar } from '../../../domain/calendar-settings';
import type { Config } from '../../../schemas/config';
import { smsAssignmentSchema } from '../../../schemas/requests';
import { apiErrorSchema } from '../../../schemas/api/errors';
import {
  callListSchema,
  callMovesSchema,
  inboxEntrySchema,
  inboxSchema,
  staffChangeAnswerSchema,
  unitsAnswerSchema,
} from '../../../schemas/api/calls';
import { unitStaffNow } from '../../../db/unit-staff';
import { addStaff, reassignCallsTo, removeStaff, StaffError } from '../../use-cases/unit-staff';
import { findUnit } from '../../../schemas/units';
import { setCalendar } from '../../use-cases/calendar';
import { callList } from '../../use-cases/call-lists';
import { flowCounters } from '../../use-cases/counters';
import { evaluation } from '../../use-cases/evaluation';
import { reportAt, reportFile, storedReports } from '../../use-cases/reports';
import { REPORTS } from '../../../schemas/calendar';
import {
  calendarChangedSchema,
  calendarRefusedSchema,
  cohortCountersSchema,
  evaluationSchema,
  reportSnapshotSchema,
  storedCalendarSchema,
  storedReportsSchema,
} from '../../../schemas/api/figures';
import { assignInboundSms, listInbox, receiveInboundSms } from '../../use-cases/sms-replies';
import { audited } from '../access';
import {
  callListQuery,
  caseParams,
  inboxParams,
  inboxQuery,
  reassignAllBody,
  reassignOneBody,
  reportQuery,
  schoolYearParams,
  staffBody,
  unitParams,
} from '../bodies';

type Deps = { config: Config; pool: Pool; client: () => Promise<Client> };

const REPORT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The campaign's lists and figures: call lists, the SMS inbox and gateway callbacks, counters, reports, evaluation, calendar. */
export function campaignRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/units',
      {
        schema: {
          querystring: z.object({}).strict(),
          response: { 200: unitsAnswerSchema },
          tags: ['phone campaigns'],
          summary: 'the units this user sees, each with the staff who share its call lists',
        },
        config: { access: { action: 'units.read' } },
      },
      async (req) => {
        const visible = visibleUnits(req.principal!);
        const units = deps.config.units.filter((u) => !visible || visible.includes(u.code));
        // The staff as changed mid-campaign (ot staff), not only as the units file names them.
        return {
          units: await Promise.all(
            units.map(async (u) => ({ code: u.code, name: u.name, staff: await unitStaffNow(deps.pool, u.code, u.staff ?? []) })),
          ),
        };
      },
    );

    /** A staff change or a move that makes no sense: 404 for a unit not configured, 409 for one against how things stand. */
    const staffRefusal = (err: unknown): { status: 400 | 404 | 409; error: string } => {
      if (!(err instanceof StaffError)) throw err;
      return { status: err.kind === 'notFound' ? 404 : err.kind === 'invalid' ? 400 : 409, error: err.message };
    };

    app.post(
      '/units/:unit/staff',
      {
        schema: {
          params: unitParams,
          body: staffBody,
          response: { 200: staffChangeAnswerSchema, 400: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
          tags: ['phone campaigns'],
          summary: "a new staff member shares the unit's calls from now on; nobody's calls move",
        },
        config: { access: { action: 'staff.change', unit: 'params' } },
      },
      async (req, reply) => {
        try {
          return await addStaff(deps.pool, deps.config.units, {
            unit: req.params.unit,
            name: req.body.name,
            by: req.principal!.displayName,
            byUserId: req.principal!.userId,
          });
        } catch (err) {
          const refused = staffRefusal(err);
          return reply.code(refused.status).send({ error: refused.error });
        }
      },
    );

    app.post(
      '/units/:unit/staff/remove',
      {
        schema: {
          params: unitParams,
          body: staffBody,
          response: { 200: staffChangeAnswerSchema, 400: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
          tags: ['phone campaigns'],
          summary: 'a staff member leaves the unit: their open calls (only theirs) are shared among the rest, fairly',
        },
        config: { access: { action: 'staff.change', unit: 'params' } },
      },
      async (req, reply) => {
        try {
          const done = await removeStaff(deps.pool, await deps.client(), deps.config.units, {
            unit: req.params.unit,
            name: req.body.name,
            by: req.principal!.displayName,
            byUserId: req.principal!.userId,
          });
          audited(
            req,
            done.moved.map((m) => m.caseId),
            `staff-remove:${req.params.unit}`,
          );
          return done;
        } catch (err) {
          const refused = staffRefusal(err);
          return reply.code(refused.status).send({ error: refused.error });
        }
      },
    );

    app.post(
      '/calls/:caseId/reassign',
      {
        schema: {
          params: caseParams,
          body: reassignOneBody,
          response: { 200: callMovesSchema, 400: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
          tags: ['phone campaigns'],
          summary: "move one case's open call to another of the unit's staff",
        },
        config: { access: { action: 'calls.reassign', unit: 'case' } },
      },
      async (req, reply) => {
        try {
          const moved = await reassignCallsTo(deps.pool, await deps.client(), deps.config.units, {
            schoolYear: req.body.schoolYear,
            caseId: req.params.caseId,
            to: req.body.to,
            by: req.principal!.displayName,
            byUserId: req.principal!.userId,
          });
          return { moved };
        } catch (err) {
          const refused = staffRefusal(err);
          return reply.code(refused.status).send({ error: refused.error });
        }
      },
    );

    app.post(
      '/calls/reassign',
      {
        schema: {
          body: reassignAllBody,
          response: { 200: callMovesSchema, 400: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
          tags: ['phone campaigns'],
          summary: 'move every open call of one staff member of the unit to another',
        },
        config: { access: { action: 'calls.reassign', unit: 'body' } },
      },
      async (req, reply) => {
        try {
          const moved = await reassignCallsTo(deps.pool, await deps.client(), deps.config.units, {
            ...req.body,
            by: req.principal!.displayName,
            byUserId: req.principal!.userId,
          });
          audited(
            req,
            moved.map((m) => m.caseId),
            `calls-reassign:${req.body.schoolYear}:${req.body.unit}`,
          );
          return { moved };
        } catch (err) {
          const refused = staffRefusal(err);
          return reply.code(refused.status).send({ error: refused.error });
        }
      },
    );

    app.get(
      '/calls',
      {
        schema: {
          querystring: callListQuery,
          response: { 200: callListSchema, 404: apiErrorSchema },
          tags: ['phone campaigns'],
          summary: "a unit's call list, per staff member",
        },
        config: { access: { action: 'calls.read', unit: 'query' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.query.unit)) return reply.code(404).send({ error: `no unit ${req.query.unit}` });
        const list = await callList(deps.pool, { ...req.query, all: req.query.all === 'true' });
        audited(
          req,
          list.rows.map((r) => r.caseId),
          `calls:${req.query.schoolYear}:${req.query.unit}${req.query.staff ? ':staff' : ''}`,
        );
        return list;
      },
    );

    app.get(
      '/sms/inbox',
      {
        schema: { querystring: inboxQuery, response: { 200: inboxSchema }, tags: ['sms'], summary: 'SMS replies that matched no case' },
        config: { access: { action: 'sms.inbox.read' } },
      },
      async (req) => {
        const entries = await listInbox(deps.pool, { all: req.query.all === 'true' });
        audited(
          req,
          entries.flatMap((e) => (e.caseId ? [e.caseId] : [])),
          'sms-inbox',
        );
        return { entries };
      },
    );

    app.post(
      '/sms/inbox/:inboundId/assign',
      {
        schema: {
          params: inboxParams,
          body: smsAssignmentSchema,
          response: { 200: inboxEntrySchema },
          tags: ['sms'],
          summary: 'give an SMS reply to its case',
        },
        config: { access: { action: 'sms.inbox.assign', unit: 'case' } },
      },
      async (req) => assignInboundSms(deps, req.params.inboundId, req.body.caseId, req.principal!.displayName),
    );

    // The gateway's callbacks: the SMS gateway's token, or the shared callback secret (checked in server.ts).
    app.post(
      '/sms/inbound',
      {
        schema: { body: z.unknown(), tags: ['sms gateway'], summary: 'an inbound SMS, as the gateway posts it' },
        config: { access: { action: 'sms.gateway', csrf: false } },
      },
      async (req) => {
        const entry = await receiveInboundSms(deps, req.body);
        // Never the case id: the gateway has no business knowing which case a mobile belongs to.
        return { inboundId: entry.inboundId, status: entry.status };
      },
    );
    app.post(
      '/sms/delivery-report',
      {
        schema: { body: z.unknown(), tags: ['sms gateway'], summary: 'a delivery report' },
        config: { access: { action: 'sms.gateway', csrf: false } },
      },
      async (req) => recordDeliveryReport(deps.pool, req.body),
    );

    app.get(
      '/counters/:schoolYear',
      {
        schema: {
          params: schoolYearParams,
          response: { 200: cohortCountersSchema },
          tags: ['figures'],
          summary: "the flowchart's counters per unit and for the county",
        },
        config: { access: { action: 'counters.read' } },
      },
      async (req) => {
        const units = visibleUnits(req.principal!) ?? deps.config.units.map((u) => u.code);
        return flowCounters(deps.pool, req.params.schoolYear, units);
      },
    );

    app.get(
      '/reports/:schoolYear',
      {
        schema: {
          params: schoolYearParams,
          querystring: reportQuery,
          response: { 200: reportSnapshotSchema },
          tags: ['figures'],
          summary: 'status counts at a report moment or any past moment',
        },
        config: { access: { action: 'reports.read' } },
      },
      async (req) => reportAt(deps.pool, req.params.schoolYear, req.query.asOf, deps.config.units),
    );

    app.get(
      '/reports/:schoolYear/stored',
      {
        schema: {
          params: schoolYearParams,
          response: { 200: storedReportsSchema },
          tags: ['figures'],
          summary: 'the four report moments of the year: when each falls, whether it is stored, and its totals (no case)',
        },
        config: { access: { action: 'reports.read' } },
      },
      async (req) => ({ schoolYear: req.params.schoolYear, reports: await storedReports(deps.pool, req.params.schoolYear) }),
    );

    app.get(
      '/reports/:schoolYear/:report/:format',
      {
        schema: {
          params: z.object({ schoolYear: schoolYearParams.shape.schoolYear, report: z.enum(REPORTS), format: z.enum(['xlsx', 'csv']) }),
          tags: ['figures'],
          summary: 'a stored report as XLSX or CSV: counts per unit, UDIR group and code',
        },
        config: { access: { action: 'reports.read' } },
      },
      async (req, reply) => {
        const file = await reportFile(deps.pool, req.params.schoolYear, req.params.report, req.params.format, deps.config.units);
        if (!file)
          return reply.code(404).send({ error: `the ${req.params.report} report of school year ${req.params.schoolYear} is not stored yet` });
        return reply.type(REPORT_TYPES[req.params.format]).header('content-disposition', `attachment; filename="${file.name}"`).send(file.content);
      },
    );

    app.get(
      '/evaluation/:schoolYear',
      {
        schema: {
          params: schoolYearParams,
          querystring: z.object({ meeting: z.enum(['autumn', 'spring']).optional(), unit: z.string().min(1).optional() }).strict(),
          response: { 200: evaluationSchema },
          tags: ['figures'],
          summary: "the evaluation meeting's figures: counters and OTUK over the year",
        },
        config: { access: { action: 'evaluation.read' } },
      },
      async (req) => evaluation(deps.pool, req.params.schoolYear, deps.config.units, req.query),
    );

    app.get(
      '/calendar/:schoolYear',
      {
        schema: { params: schoolYearParams, response: { 200: storedCalendarSchema }, tags: ['calendar'], summary: "the cohort's campaign calendar" },
        config: { access: { action: 'calendar.read' } },
      },
      async (req) => readCohortCalendar(deps.pool, req.params.schoolYear),
    );
    app.put(
      '/calendar/:schoolYear',
      {
        schema: {
          params: schoolYearParams,
          body: z.object({ calendar: z.unknown() }).strict(),
          response: { 200: calendarChangedSchema, 400: calendarRefusedSchema },
          tags: ['calendar'],
          summary: 'change the calendar; every open case follows',
        },
        config: { access: { action: 'calendar.write' } },
      },
      async (req, reply) => {
        let next;
        try {
          next = parseCalendar(req.body.calendar);
        } catch (err) {
          if (err instanceof CalendarError) return reply.code(400).send({ error: `calendar: ${err.message}` });
          throw err;
        }
        return setCalendar({ pool: deps.pool, client: await deps.client(), config: deps.config }, req.params.schoolYear, next);
      },
    );
  };
}
