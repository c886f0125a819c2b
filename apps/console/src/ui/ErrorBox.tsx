import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

/** An API error in words, with the field each reason concerns; nothing fails silently. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div role="alert" className="error">
      <strong>{t('error')}: </strong>
      {apiError?.message ?? (error instanceof Error ? error.message : String(error))}
      {apiError && apiError.fields.length > 0 && (
        <ul>
          {apiError.fields.map((f) => (
            <li key={f.field + f.reason}>
              <code>{f.field}</code>: {f.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

/** An answer-rate bar with its number beside it (the bar alone says nothing to a screen reader). */
export function RateBar({ rate, label }: { rate: number; label?: string }) {
  const percent = Math.round(rate * 1000) / 10;
  return (
    <span className="rate">
      <span className="bar" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label={label ?? `${percent}%`}>
        <span className="fill" style={{ width: `${percent}%` }} />
      </span>
      <span className="rate-number">{percent}%</span>
    </span>
  );
}

/** A label above its control, tied by id (a select's options never leak into its name). */
export function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}
