import { Link } from '@digdir/designsystemet-react';

/** One file to download: where the API serves it, and its name for the user. */
export interface Download {
  href: string;
  label: string;
}

/**
 * The files a page offers, one download link each in a list: the API's own answer is saved (its Content-Disposition
 * names the file), so no file is built in the browser. Shared by the letters, the held letters, VIGO and the NAV meeting.
 */
export function DownloadList({ files, className }: { files: readonly Download[]; className?: string }) {
  return (
    <ul className={className}>
      {files.map((f) => (
        <li key={f.href}>
          <Link href={f.href} download>
            {f.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}
