/**
 * Per-recipient parts of an email (name, department, answer link) are written into its subject,
 * text and HTML as markers, so one body serves a whole batch: SendGrid fills them in from each
 * personalization's `substitutions`, SMTP fills them in here before sending.
 */
export const EMAIL_MARKERS = {
  name: '[[anpi:name]]',
  department: '[[anpi:department]]',
  link: '[[anpi:link]]',
  nameHtml: '[[anpi:name:html]]',
  departmentHtml: '[[anpi:department:html]]',
  linkHtml: '[[anpi:link:html]]',
} as const;

/** Marker → this recipient's value. */
export type EmailValues = Partial<Record<(typeof EMAIL_MARKERS)[keyof typeof EMAIL_MARKERS], string>>;

const MARKER = /\[\[anpi:[a-z]+(?::html)?\]\]/g;

/** The text with every marker replaced by its value (a marker without one stays as written). */
export function fillEmailMarkers(text: string, values: EmailValues): string {
  return text.replace(MARKER, (marker) => values[marker as keyof EmailValues] ?? marker);
}
