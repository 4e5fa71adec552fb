import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { visibleUnits } from '../../../domain/access-policy';
import type { Config } from '../../../schemas/config';
import { apiErrorSchema } from '../../../schemas/api/errors';
import { caseStateSchema } from '../../../schemas/api/cases';
import { storedPlanSchema, worklistSchema } from '../../../schemas/api/follow-up';
import { planBodySchema, reviewBodySchema, type PlanMeasure } from '../../../schemas/follow-up-plan';
import { NAME_MAX } from '../../../schemas/limits';
import type { OtStatusCode } from '../../../schemas/ot-codes';
import { caseworkerWorklist, leaderOverdueList, registerPlan, registerReview, showPlan } from '../../use-cases/follow-up-plans';
import { audited } from '../access';
import { caseParams, ifMatchHeaders, schoolYearParams } from '../bodies';

type Deps = { config: Config; pool: Pool; client: () => Promise<Client> };

const worklistQuery = z.object({ unit: z.string().min(1).optional(), caseworker: z.string().min(1).max(NAME_MAX).optional() }).strict();
const overdueQuery = z.object({ unit: z.string().min(1).optional() }).strict();
const ifVersion = (h: { 'if-match'?: string }, body: { ifVersion?: number }) =>
  h['if-match'] ? Number(h['if-match'].replace(/"/g, '')) : body.ifVersion;

/** Follow-up plans (make, change, review, read) and the lists of deadlines: the caseworker's, and the unit leader's. */
export function followUpRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const who = (req: { principal?: { displayName: string; userId: string } }, v: number | undefined) => ({
      by: req.principal!.displayName,
      byUserId: req.principal!.userId,
      ifVersion: v,
    });

    app.post(
      '/cases/:caseId/plan',
      {
        schema: {
          params: caseParams,
          headers: ifMatchHeaders,
          body: planBodySchema,
          response: { 200: caseStateSchema },
          tags: ['case actions'],
          summary: 'make or change the follow-up plan of a youth under follow-up (OTOV): goal, measures, review dates',
        },
        config: { access: { action: 'case.plan', unit: 'case' } },
      },
      async (req) => {
        const { ifVersion: _v, measures, ...plan } = req.body;
        return registerPlan(
          deps.pool,
          await deps.client(),
          req.params.caseId,
          { ...plan, measures: measures as PlanMeasure[] },
          who(req, ifVersion(req.headers, req.body)),
        );
      },
    );

    app.post(
      '/cases/:caseId/review',
      {
        schema: {
          params: caseParams,
          headers: ifMatchHeaders,
          body: reviewBodySchema,
          response: { 200: caseStateSchema },
          tags: ['case actions'],
          summary: 'a review of the follow-up plan: what happened, then the next review date or an outcome',
        },
        config: { access: { action: 'case.review', unit: 'case' } },
      },
      async (req) =>
        registerReview(
          deps.pool,
          await deps.client(),
          req.params.caseId,
          { note: req.body.note, nextReview: req.body.nextReview, outcome: req.body.outcome as OtStatusCode | undefined },
          who(req, ifVersion(req.headers, req.body)),
        ),
    );

    app.get(
      '/cases/:caseId/plan',
      {
        schema: {
          params: caseParams,
          response: { 200: storedPlanSchema, 404: apiErrorSchema },
          tags: ['cases'],
          summary: 'the follow-up plan in force on a case: goal, measures, review dates',
        },
        config: { access: { action: 'case.read', unit: 'case' } },
      },
      async (req, reply) => {
        const plan = await showPlan(deps.pool, req.params.caseId);
        if (!plan) return reply.code(404).send({ error: `case ${req.params.caseId} has no follow-up plan` });
        audited(req, [req.params.caseId]);
        return plan;
      },
    );

    app.get(
      '/worklist/:schoolYear',
      {
        schema: {
          params: schoolYearParams,
          querystring: worklistQuery,
          response: { 200: worklistSchema },
          tags: ['follow-up'],
          summary: "a caseworker's deadlines: plan reviews due (and overdue), replies waiting for an outcome past their deadline",
        },
        config: { access: { action: 'worklist.read', unit: 'query' } },
      },
      async (req) => {
        const list = await caseworkerWorklist(deps.pool, { schoolYear: req.params.schoolYear, ...req.query, unitIn: visibleUnits(req.principal!) });
        audited(
          req,
          [...list.reviewsDue, ...list.repliesOverdue].map((r) => r.caseId),
        );
        return list;
      },
    );

    app.get(
      '/overdue/:schoolYear',
      {
        schema: {
          params: schoolYearParams,
          querystring: overdueQuery,
          response: { 200: worklistSchema },
          tags: ['follow-up'],
          summary: "the unit leader's list: plan reviews and replies past their deadline, per caseworker (case ids, no names)",
        },
        config: { access: { action: 'overdue.read', unit: 'query' } },
      },
      async (req) => {
        const list = await leaderOverdueList(deps.pool, { schoolYear: req.params.schoolYear, ...req.query, unitIn: visibleUnits(req.principal!) });
        audited(
          req,
          [...list.reviewsDue, ...list.repliesOverdue].map((r) => r.caseId),
        );
        return list;
      },
    );
  };
}
