import { useI18n } from '../i18n';

/** The open/close button of a tree row (44 px), or a blank of the same width for a leaf. */
export function TreeToggle({ name, open, hasChildren, onToggle }: { name: string; open: boolean; hasChildren: boolean; onToggle(): void }) {
  const { t } = useI18n();
  if (!hasChildren) return <span className="toggle" aria-hidden="true" />;
  return (
    <button type="button" className="toggle" aria-expanded={open} aria-label={`${open ? t('collapse') : t('expand')} ${name}`} onClick={onToggle}>
      {open ? '▾' : '▸'}
    </button>
  );
}
