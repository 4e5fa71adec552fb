import { z } from 'zod';

/** A case id as the system makes it (a keyed hash, 24 hex characters): the one check every front end uses. */
export const CASE_ID_PATTERN = /^[0-9a-f]{24}$/;
export const CASE_ID_RULE = 'a case id is 24 hexadecimal characters';
export const caseIdSchema = z.string().regex(CASE_ID_PATTERN, CASE_ID_RULE);
