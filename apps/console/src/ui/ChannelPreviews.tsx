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
