import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The Temporal UI is the monitoring view: `OtUnit = "12250" AND OtStatus = "OTUK"`. Never a name or an id number here. */
export const OtUnit = defineSearchAttributeKey('OtUnit', SearchAttributeType.KEYWORD);
export const OtStatus = defineSearchAttributeKey('OtStatus', SearchAttributeType.KEYWORD);
export const OtStage = defineSearchAttributeKey('OtStage', SearchAttributeType.KEYWORD);
export const SchoolYear = defineSearchAttributeKey('SchoolYear', SearchAttributeType.INT);
export const Caseworker = defineSearchAttributeKey('Caseworker', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [OtUnit, OtStatus, OtStage, SchoolYear, Caseworker];

/** The `--search-attribute` flags of `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  const typeName = {
    KEYWORD: 'Keyword',
    INT: 'Int',
    TEXT: 'Text',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    DOUBLE: 'Double',
    KEYWORD_LIST: 'KeywordList',
  } as const;
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${typeName[k.type]}`]);
}
