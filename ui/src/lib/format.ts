const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function parse(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "10:42" in the user's locale and time zone; null when the timestamp is missing or unreadable. */
export function formatClock(value: string | null | undefined): string | null {
  const date = parse(value);
  return date ? timeOnly.format(date) : null;
}

/** "26 Nov 2026, 10:42" in the user's locale and time zone; the raw text if it cannot be read. */
export function formatDateTime(value: string): string {
  const date = parse(value);
  return date ? dateTime.format(date) : value;
}

/** A count with its noun: "1 user", "2,400 users". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`;
}
