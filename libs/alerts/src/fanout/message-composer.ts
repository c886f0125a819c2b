import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import {
  EMAIL_MARKERS,
  LINEWORKS_LIMITS,
  escapeHtml,
  fillEmailMarkers,
  plainTextHtml,
  type EmailValues,
  type LineMessage,
  type LineWorksContent,
} from '#anpi/channels';
import type { Broadcast, Recipient } from '#anpi/db';
import { AnswerTokenSigner } from '../answer-token-signer.js';
import { displayTitle } from '../broadcast-views.js';
import { content, type NotificationDetail } from '../broadcast-content.js';
import { isCancellationNotice, isLocationCheck, isResend } from './rounds.js';
import { prefectureName } from '#anpi/regions';

/** What a personal message says about its recipient. */
export type MessageRecipient = Pick<Recipient, 'id' | 'name' | 'departmentName'>;

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * What each channel says. Email and SMS carry the recipient's personal answer link. LINE sends one
 * multicast to up to 500 people, so its message cannot be personal: it carries the title (and the
 * body when configured) and a 回答する button whose postback identifies the LINE user, to whom the
 * webhook replies with their personal link.
 */
@Injectable()
export class MessageComposer {
  constructor(
    private readonly config: AppConfig,
    private readonly signer: AnswerTokenSigner,
  ) {}

  answerLink(broadcast: Broadcast, recipient: Pick<Recipient, 'id'>): string {
    return `${this.config.publicBaseUrl}/a/${this.signer.sign({ broadcastId: broadcast.id, recipientId: recipient.id, expiresAt: broadcast.answerExpiresAt })}`;
  }

  line(broadcast: Broadcast, round = 0): LineMessage[] {
    if (isCancellationNotice(round)) return [{ type: 'text', text: cancellationNotice(broadcast) }];
    const asking = isLocationCheck(round);
    const title = asking ? `【所在確認】${displayTitle(broadcast)}` : `${prefix(round)}【安否確認】${displayTitle(broadcast)}`;
    const full = detail(broadcast).line === 'full';
    const body = asking
      ? locationQuestion(broadcast)
      : full
        ? render(broadcast.body, { name: 'みなさん', department: '' })
        : '回答ボタンを押して、安否を回答してください。\nTap the button to report your status.';
    return [
      {
        type: 'flex',
        altText: `${title} 回答してください / Please answer`.slice(0, 400),
        contents: {
          type: 'bubble',
          body: {
            type: 'box',
            layout: 'vertical',
            spacing: 'md',
            contents: [
              { type: 'text', text: title, weight: 'bold', size: 'lg', wrap: true, color: broadcast.drill ? '#1E6FD9' : '#C62828' },
              { type: 'text', text: body.slice(0, 1500), size: 'sm', wrap: true },
            ],
          },
          footer: {
            type: 'box',
            layout: 'vertical',
            contents: [
              {
                type: 'button',
                style: 'primary',
                color: broadcast.drill ? '#1E6FD9' : '#C62828',
                action: { type: 'postback', label: '回答する / Answer', data: `answer:${broadcast.id}`, displayText: '回答する' },
              },
            ],
          },
        },
        ...(!asking &&
          offersQuickAnswer(broadcast) && {
            quickReply: {
              items: [
                { type: 'action', action: { type: 'postback', label: '無事です / I am safe', data: `safe:${broadcast.id}`, displayText: '無事です' } },
                { type: 'action', action: { type: 'postback', label: '回答する / Answer', data: `answer:${broadcast.id}`, displayText: '回答する' } },
              ],
            },
          }),
      },
    ];
  }

  /**
   * LINE WORKS messages go one per user, so each carries the recipient's own answer link: a button
   * template whose 「回答する」 opens it, and (when the broadcast offers it) 「無事です」, a message
   * action whose postback carries the signed answer token, so the callback knows exactly whose tap
   * it is without trusting the LINE WORKS user id.
   */
  lineworks(broadcast: Broadcast, recipient: MessageRecipient, round = 0): LineWorksContent {
    if (isCancellationNotice(round)) return { type: 'text', text: cancellationNotice(broadcast) };
    const link = this.answerLink(broadcast, recipient);
    const asking = isLocationCheck(round);
    const title = asking ? `【所在確認】${displayTitle(broadcast)}` : `${prefix(round)}【安否確認】${displayTitle(broadcast)}`;
    const full = detail(broadcast).lineworks === 'full';
    const body = asking
      ? locationQuestion(broadcast)
      : full
        ? render(broadcast.body, { name: recipient.name, department: recipient.departmentName ?? '' })
        : `${recipient.name} さん\n下のボタンから安否を回答してください。\nTap the button to report your status.`;
    const contentText = `${title}\n${body}`.slice(0, LINEWORKS_LIMITS.contentText);
    const token = link.slice(link.lastIndexOf('/') + 1);
    return {
      type: 'button_template',
      contentText,
      actions: [
        { type: 'uri', label: asking ? '回答する / Answer' : '回答する / Answer', uri: link },
        ...(!asking && offersQuickAnswer(broadcast)
          ? [{ type: 'message' as const, label: '無事です / I am safe', text: '無事です', postback: `safe:${token}` }]
          : []),
      ],
    };
  }

  /** One recipient's email: the round's template with their name, department and link filled in. */
  email(broadcast: Broadcast, recipient: MessageRecipient, round = 0): ComposedEmail {
    const template = this.emailTemplate(broadcast, round);
    const values = this.emailValues(broadcast, recipient);
    return {
      subject: fillEmailMarkers(template.subject, values),
      text: fillEmailMarkers(template.text, values),
      html: fillEmailMarkers(template.html, values),
    };
  }

  /**
   * The round's email for everyone, with markers where each recipient's name, department and
   * answer link go (see EMAIL_MARKERS): one body for a whole SendGrid batch.
   */
  emailTemplate(broadcast: Broadcast, round = 0): ComposedEmail {
    const m = EMAIL_MARKERS;
    if (isLocationCheck(round)) {
      const text = [`${m.name} さん`, '', locationQuestion(broadcast), '', m.link, '', `送信者 / From: ${broadcast.senderName}`].join('\n');
      const html = plainTextHtml(text.replace(m.name, m.nameHtml).replace(m.link, m.linkHtml));
      return { subject: `【所在確認】${displayTitle(broadcast)}`, text, html };
    }
    if (isCancellationNotice(round)) {
      const text = cancellationNotice(broadcast);
      return { subject: `【取消】${displayTitle(broadcast)}`, text, html: plainTextHtml(text) };
    }
    const title = prefix(round) + displayTitle(broadcast);
    const full = detail(broadcast).email === 'full';
    const body = full ? render(broadcast.body, { name: m.name, department: m.department }) : `${m.name} さん`;
    const bodyHtml = full ? render(broadcast.body, { name: m.nameHtml, department: m.departmentHtml }) : `${m.nameHtml} さん`;
    const text = [body, '', '▼ 安否を回答してください / Please report your status', m.link, '', `送信者 / From: ${broadcast.senderName}`].join('\n');
    const html = `<!doctype html><html lang="ja"><body style="font-family:sans-serif;line-height:1.6">
<h1 style="font-size:20px;color:${broadcast.drill ? '#1E6FD9' : '#C62828'}">${escapeHtml(title)}</h1>
<p>${escapeHtml(bodyHtml).replaceAll('\n', '<br>')}</p>
<p><a href="${m.linkHtml}"
style="display:inline-block;padding:14px 24px;background:#C62828;color:#fff;text-decoration:none;border-radius:6px;font-size:18px"
>安否を回答する / Report your status</a></p>
<p style="font-size:12px;color:#555">${m.linkHtml}<br>送信者 / From: ${escapeHtml(broadcast.senderName)}</p>
</body></html>`;
    return { subject: `【安否確認】${title}`, text, html };
  }

  /** What the markers of `emailTemplate` stand for, for one recipient (the HTML ones escaped). */
  emailValues(broadcast: Broadcast, recipient: MessageRecipient): EmailValues {
    const m = EMAIL_MARKERS;
    const link = this.answerLink(broadcast, recipient);
    const department = recipient.departmentName ?? '';
    return {
      [m.name]: recipient.name,
      [m.department]: department,
      [m.link]: link,
      [m.nameHtml]: escapeHtml(recipient.name),
      [m.departmentHtml]: escapeHtml(department),
      [m.linkHtml]: escapeHtml(link),
    };
  }

  /**
   * Paid per segment (70 characters in UCS-2): the short link (/s/<code>) and the link on its own
   * line, so the default title-only message stays one segment for titles up to 20 characters.
   */
  sms(broadcast: Broadcast, recipient: MessageRecipient, round = 0, shortCode?: string): string {
    if (isCancellationNotice(round)) return `【取消】${displayTitle(broadcast)}\n気象庁が情報を取り消しました。回答は不要です。`;
    const link = shortCode ? `${this.config.publicBaseUrl}/s/${shortCode}` : this.answerLink(broadcast, recipient);
    if (isLocationCheck(round)) return `【所在確認】${displayTitle(broadcast)}\n今、対象地域にいますか？\n${link}`;
    const full = detail(broadcast).sms === 'full';
    const head = `${prefix(round)}【安否確認】${displayTitle(broadcast)}`;
    const body = full ? `\n${render(broadcast.body, { name: recipient.name, department: recipient.departmentName ?? '' })}` : '';
    return `${head}${body}\n${link}`;
  }
}

/**
 * Whether LINE messages carry the one-tap 「無事です」 button: the broadcast allows it and asks
 * the 本人 question (`self`) with a 無事 option (`safe`), which is what the button records.
 */
export function offersQuickAnswer(broadcast: Pick<Broadcast, 'lineQuickAnswer' | 'questions'>): boolean {
  const questions = content.questions(broadcast.questions);
  return broadcast.lineQuickAnswer && questions.some((q) => q.id === 'self' && q.options.some((o) => o.id === 'safe'));
}

/** The location check: the affected prefectures, and the question the answer page asks first. */
export function locationQuestion(broadcast: Pick<Broadcast, 'targets'>): string {
  const areas = content.targets(broadcast.targets).areas;
  const names = [...new Set([...(areas?.work ?? []), ...(areas?.home ?? [])])].sort((a, b) => a - b).map(prefectureName);
  return [
    `${names.join('・') || '対象地域'}で災害がありました。今、この地域にいますか？ 下のリンクからお知らせください。`,
    `A disaster hit ${names.join(', ') || 'the affected area'}. Are you there now? Please tell us on the page below.`,
  ].join('\n');
}

/** The alert was launched on a JMA telegram that JMA then cancelled (取消): say so, ask nothing. */
export function cancellationNotice(broadcast: Pick<Broadcast, 'title' | 'drill'>): string {
  return [
    `【取消】${displayTitle(broadcast)}`,
    'この安否確認のもとになった気象庁の情報は取り消されました。回答は不要です。',
    'JMA cancelled the information this safety check was sent for. No answer is needed.',
  ].join('\n');
}

/** Reminders say they are one; escalation steps reach people for the first time (see rounds.ts). */
export function prefix(round: number): string {
  return isResend(round) ? '【再送】' : '';
}

function detail(broadcast: Broadcast): NotificationDetail {
  return content.notificationDetail(broadcast.notificationDetail);
}

/** {{name}} and {{department}}; anything else in braces stays as written. */
export function render(template: string, values: { name: string; department: string }): string {
  return template.replace(/\{\{\s*(name|department)\s*\}\}/g, (_, key: 'name' | 'department') => values[key]);
}
