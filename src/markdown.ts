/**
 * Server and user text (titles, error messages, statuses) made safe for one
 * Markdown table cell: one line, no HTML, no table or link syntax.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\|[\]*_`])/g, '\\$1')
}

/** A two-column table of name → already-escaped Markdown value. */
export function markdownTable(rows: ReadonlyArray<readonly [string, string]>): string[] {
  return ['| | |', '| --- | --- |', ...rows.map(([name, value]) => `| ${name} | ${value} |`)]
}
