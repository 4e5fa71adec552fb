import type { Pool, PoolClient } from 'pg';

import { AUDIT_KINDS, type AuditKind } from '../schemas/api/admin';

type Db = Pool | PoolClient;

export { AUDIT_KINDS, type AuditKind };

/** One row of the audit: who, which cases or list, through what, from where. Never a name or a national id. */
export interface AuditEntry {
  userId?: string;
  tokenId?: string;
  kind: AuditKind;
  action: string;
  caseIds?: string[];
  list?: string;
  endpoint: string;
  source: string;
  status?: number;
}

export interface AuditRow extends AuditEntry {
  id: string;
  at: Date;
  caseIds: string[];
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (user_id, token_id, kind, action, case_ids, list, endpoint, source, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.userId ?? null, e.tokenId ?? null, e.kind, e.action, e.caseIds ?? [], e.list ?? null, e.endpoint, e.source, e.status ?? null],
  );
}

interface Raw {
  id: string;
  at: Date;
  user_id: string | null;
  token_id: string | null;
  kind: AuditKind;
  action: string;
  case_ids: string[];
  list: string | null;
  endpoint: string;
  source: string;
  status: number | null;
}

/** The audit, newest first: of one case, of one user, or all, up to `limit` rows. */
export async function readAudit(db: Db, q: { caseId?: string; userId?: string; limit: number }): Promise<AuditRow[]> {
  const r = await db.query<Raw>(
    `SELECT * FROM audit_log WHERE ($1::text IS NULL OR $1 = ANY (case_ids)) AND ($2::text IS NULL OR user_id = $2)
      ORDER BY id DESC LIMIT $3`,
    [q.caseId ?? null, q.userId ?? null, q.limit],
  );
  return r.rows.map((x) => ({
    id: String(x.id),
    at: x.at,
    ...(x.user_id ? { userId: x.user_id } : {}),
    ...(x.token_id ? { tokenId: x.token_id } : {}),
    kind: x.kind,
    action: x.action,
    caseIds: x.case_ids,
    ...(x.list ? { list: x.list } : {}),
    endpoint: x.endpoint,
    source: x.source,
    ...(x.status !== null ? { status: x.status } : {}),
  }));
}
