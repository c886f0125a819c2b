import type { Schemas } from '../api/client';
import { useI18n } from '../i18n';

type Flex = {
  altText?: string;
  contents?: {
    body?: { contents?: { text?: string; color?: string }[] };
    footer?: { contents?: { color?: string; action?: { label?: string } }[] };
  };
  quickReply?: { items?: { action?: { label?: string } }[] };
  text?: string;
};

/** What each channel will show: the LINE bubble, the email, the SMS with its segment count. */
export function ChannelPreviews({ preview }: { preview: Schemas['BroadcastPreviewView'] }) {
  const { t } = useI18n();
  return (
    <div className="previews">
      {preview.line && (
        <section className="preview line" aria-label={t('channelLine')}>
          <h3>
            {t('channelLine')} · {t('people', { n: preview.line.recipients })}
          </h3>
          {(preview.line.messages as Flex[]).map((m, i) => (
            <div key={i} className="bubble">
              {m.text ?? null}
              {m.contents?.body?.contents?.map((c, j) => (
                <p key={j} className={j === 0 ? 'bubble-title' : ''} style={j === 0 && c.color ? { color: c.color } : undefined}>
                  {c.text}
                </p>
              ))}
              {m.contents?.footer?.contents?.map((b, j) => (
                <span key={j} className="bubble-button" style={b.color ? { background: b.color } : undefined}>
                  {b.action?.label}
                </span>
              ))}
              {m.quickReply?.items?.length ? (
                <div className="quick">
                  {m.quickReply.items.map((q, j) => (
                    <span key={j} className="chip">
                      {q.action?.label}
                    </span>
                  ))}
                </div>
              ) : null}
            </div>
          ))}
        </section>
      )}
      {preview.lineworks && <LineWorksPreview preview={preview.lineworks} />}
      {preview.email && (
        <section className="preview email" aria-label={t('channelEmail')}>
          <h3>
            {t('channelEmail')} · {t('people', { n: preview.email.recipients })}
          </h3>
          <p className="subject">{preview.email.subject}</p>
          <pre>{preview.email.text}</pre>
        </section>
      )}
      {preview.sms && (
        <section className="preview sms" aria-label={t('channelSms')}>
          <h3>
            {t('channelSms')} · {t('people', { n: preview.sms.recipients })} · {t('segments', { n: preview.sms.segments, enc: preview.sms.encoding })}
          </h3>
          <pre>{preview.sms.text}</pre>
        </section>
      )}
    </div>
  );
}

interface WorksContent {
  type: string;
  contentText?: string;
  text?: string;
  actions?: { type: string; label: string }[];
}

/** The LINE WORKS button template as the first employee will see it (each link is personal). */
function LineWorksPreview({ preview }: { preview: { recipients: number; content: Record<string, unknown> } }) {
  const { t } = useI18n();
  const content = preview.content as unknown as WorksContent;
  return (
    <section className="preview line" aria-label={t('channelLineWorks')}>
      <h3>
        {t('channelLineWorks')} · {t('people', { n: preview.recipients })}
      </h3>
      <div className="bubble">
        <p>{content.contentText ?? content.text}</p>
        {content.actions?.map((a, i) => (
          <span key={i} className="bubble-button">
            {a.label}
          </span>
        ))}
      </div>
    </section>
  );
}
