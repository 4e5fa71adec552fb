import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root';

export type TemplateName = 'letter.nn.txt' | 'letter.nb.txt' | 'sms.txt' | 'sms2.txt';

/**
 * The system owner edits each school year's templates in <templatesDir>/<schoolYear>/; a year without its
 * own file uses the project's default in templates/.
 */
export function templatePath(templatesDir: string, schoolYear: number, name: TemplateName): string {
  const own = path.join(templatesDir, String(schoolYear), name);
  return existsSync(own) ? own : path.join(PROJECT_ROOT, 'templates', name);
}
