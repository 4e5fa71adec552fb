/**
 * A case's version is the length of its journal: every change a person makes, and every system event that
 * changes the case, adds one entry. A request made on what someone saw at version N carries `ifVersion: N`;
 * if anything was recorded since, it is refused with CASE_CHANGED, so two people acting on the same case
 * at once cannot both act on what they saw (the second sees the case as it is now and decides again).
 */
export const CASE_CHANGED = 'CaseChanged';

export function versionRefusal(ifVersion: number | undefined, version: number): string | undefined {
  if (ifVersion === undefined || ifVersion === version) return undefined;
  return `the case has changed since you saw it (version ${ifVersion}; it is now at version ${version}): look at it again`;
}
