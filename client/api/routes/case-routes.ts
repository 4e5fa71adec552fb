import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { unitOfCase } from '../../../db/cases';
import { caseIdsOfNationalIds } from '../../../db/persons';
import { coversUnit, visibleUnits } from '../../../domain/access-policy';
import { normaliseMobile } from '../../../schemas/mobile';
import type { Config } from '../../../schemas/config';
import { callRegistrationSchema } from '../../../schemas/requests';
import { apiErrorSchema } from '../../../schemas/api/errors';
import { caseDetailSchema, caseLookupSchema, casePageSchema, caseStateSchema } from '../../../schemas/api/cases';
import type { CaseAction } from '../../../workflows/youth-case/machine';
import { registerCall } from '../../use-cases/call-lists';
import { registerAction, registerContact, registerReturnedLetter } from '../../use-cases/case-actions';
import { listCases, requestsAcceptedNow, showCase } from '../../use-cases/case-queries';
import { audited } from '../access';
import {
  caseParams,
  caseSearchQuery,
  claimBody,
  contactBody,
  ifMatchHeaders,
  lookupBody,
  outcomeBody,
  replyBody,
  returnedLetterBody,
} from '../bodies';

type Deps = { config: Config; pool: Pool; client: () => Promise<Client> };

const ifVersion = (h: { 'if-match'?: string }) => (h['if-match'] ? Number(h['if-match'].replace(/"/g, '')) : undefined);

/** Cases: search, the national-id lookup, one case with its journal, and every caseworker action on it. */
export function caseRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases',
      {
        schema: { querystring: caseSearchQuery, response: { 200: casePageSchema }, tags: ['cases'], summary: 'search cases (paged)' },
        config: { access: { action: 'cases.search', unit: 'query' } },
      },
      async (req) => {
        const { page, pageSize, ...filter } = req.query;
        const rows = await listCases(deps.pool, {
          ...filter,
          unitIn: visibleUnits(req.principal!),
          limit: pageSize + 1,
          offset: (page - 1) * pageSize,
        });
        const shown = rows.slice(0, pageSize);
        audited(
          req,
          shown.map((r) => r.caseId),
        );
        return { page, pageSize, more: rows.length > pageSize, cases: shown };
      },
    );

    app.post(
      '/cases/lookup',
      {
        schema: {
          body: lookupBody,
          response: { 200: caseLookupSchema, 404: apiErrorSchema },
          tags: ['cases'],
          summary: 'the case of a national id (in the body, never the URL)',
        },
        config: { access: { action: 'cases.lookup' } },
      },
      async (req, reply) => {
        // By the persons stored at import, not by the case-id key: the API holds none (see runtime/config.ts).
        const caseId = (await caseIdsOfNationalIds(deps.pool, req.body.schoolYear, [req.body.nationalId])).get(req.body.nationalId);
        const unit = caseId ? await unitOfCase(deps.pool, caseId) : undefined;
        if (!caseId || !unit || !coversUnit(req.principal!, unit))
          return reply.code(404).send({ error: `no case for that national id in school year ${req.body.schoolYear}` });
        audited(req, [caseId]);
        return { caseId, unit };
      },
    );

    app.get(
      '/cases/:caseId',
      {
        schema: {
          params: caseParams,
          response: { 200: caseDetailSchema, 404: apiErrorSchema },
          tags: ['cases'],
          summary:
            'one case as its workflow sees it, with its journal (notes and all) from the read model, and the requests it takes now (`accepts`, from its refusals query)',
        },
        config: { access: { action: 'case.read', unit: 'case' } },
      },
      async (req, reply) => {
        const client = await deps.client();
        const row = await showCase(deps.pool, client, req.params.caseId);
        if (!row) return reply.code(404).send({ error: `no case ${req.params.caseId}` });
        if (row.version !== undefined) void reply.header('etag', `"${row.version}"`);
        // What the case would take now from this user; whether their role may is the policy's (allowedActions of /auth/me).
        return { ...row, accepts: await requestsAcceptedNow(client, row, req.principal!.displayName) };
      },
    );

    const actor = (req: { principal?: { displayName: string; userId: string } }, headers: { 'if-match'?: string }) => ({
      by: req.principal!.displayName,
      byUserId: req.principal!.userId,
      ifVersion: ifVersion(headers),
    });
    const act = (req: Parameters<typeof actor>[0] & { params: { caseId: string } }, action: CaseAction) =>
      deps.client().then((client) => registerAction(deps.pool, client, req.params.caseId, action));

    // Each action answers the case as it stands after it (a 409 carries it as `case`, beside the reason).
    const schema = <B>(body: B, summary: string) => ({
      params: caseParams,
      headers: ifMatchHeaders,
      body,
      response: { 200: caseStateSchema },
      tags: ['case actions'],
      summary,
    });

    app.post(
      '/cases/:caseId/outcome',
      {
        schema: schema(outcomeBody, 'what the youth does: OTOV or a code of UDIR groups 3–5'),
        config: { access: { action: 'case.outcome', unit: 'case' } },
      },
      (req) => act(req, { type: 'OUTCOME', ...req.body, ...actor(req, req.headers) }),
    );
    app.post(
      '/cases/:caseId/reply',
      { schema: schema(replyBody, 'a reply from the youth: contact established'), config: { access: { action: 'case.reply', unit: 'case' } } },
      (req) => act(req, { type: 'REPLY', ...req.body, ...actor(req, req.headers) }),
    );
    app.post(
      '/cases/:caseId/claim',
      { schema: schema(claimBody, 'a caseworker takes the case before the letters'), config: { access: { action: 'case.claim', unit: 'case' } } },
      (req) =>
        act(req, {
          type: 'CLAIM',
          status: req.body.status,
          caseworker: req.body.caseworker ?? req.principal!.displayName,
          note: req.body.note,
          ...actor(req, req.headers),
        }),
    );
    app.post(
      '/cases/:caseId/returned-letter',
      { schema: schema(returnedLetterBody, 'a letter came back'), config: { access: { action: 'case.returnedLetter', unit: 'case' } } },
      async (req) => registerReturnedLetter(deps.pool, await deps.client(), req.params.caseId, { ...actor(req, req.headers), note: req.body.note }),
    );
    app.post(
      '/cases/:caseId/contact',
      { schema: schema(contactBody, 'a new address or mobile'), config: { access: { action: 'case.contact', unit: 'case' } } },
      async (req) => {
        const { address, mobile, source, note } = req.body;
        const details = address ? { kind: 'address' as const, address } : { kind: 'mobile' as const, mobile: normaliseMobile(mobile!)! };
        return registerContact(deps.pool, await deps.client(), req.params.caseId, details, { source, note, ...actor(req, req.headers) });
      },
    );
    app.post(
      '/cases/:caseId/call',
      { schema: schema(callRegistrationSchema, 'one call of a phone campaign'), config: { access: { action: 'case.call', unit: 'case' } } },
      async (req) => registerCall(deps.pool, await deps.client(), req.params.caseId, req.body, actor(req, req.headers)),
    );
  };
}
