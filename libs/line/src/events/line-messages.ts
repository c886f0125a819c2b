import type { LineMessage } from '#anpi/channels';

/** What anpi says on LINE, Japanese first with English beside it. */

function buttonBubble(altText: string, text: string, button: { label: string; uri?: string; postback?: string }, color = '#06C755'): LineMessage {
  const action = button.uri
    ? { type: 'uri', label: button.label, uri: button.uri }
    : { type: 'postback', label: button.label, data: button.postback!, displayText: button.label.split(' / ')[0] };
  return {
    type: 'flex',
    altText: altText.slice(0, 400),
    contents: {
      type: 'bubble',
      body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: text.slice(0, 2000), wrap: true, size: 'sm' }] },
      footer: { type: 'box', layout: 'vertical', contents: [{ type: 'button', style: 'primary', color, action }] },
    },
  };
}

export function linkPrompt(url: string, withInvite: boolean): LineMessage {
  const text = withInvite
    ? '下のボタンから、社員情報との連携を完了してください (10分間有効)。\nTap the button to finish linking your LINE to your employee record (valid for 10 minutes).'
    : '安否確認をLINEで受け取るには、社員情報と連携してください。下のボタンを押し、社員番号で本人確認をします (10分間有効)。\n' +
      'To receive safety checks on LINE, link your employee record: tap the button and confirm who you are with your employee number (valid for 10 minutes).';
  return buttonBubble('社員情報と連携してください / Link your employee record', text, { label: '連携する / Link', uri: url });
}

export const WELCOME =
  "友だち追加ありがとうございます。この公式アカウントから、会社の安否確認が届きます。\nThank you for adding us. Your company's safety checks arrive through this account.";

export const WELCOME_BACK = 'おかえりなさい。安否確認は引き続きLINEで届きます。\nWelcome back: safety checks will reach you on LINE again.';

export function linked(name: string): LineMessage {
  return {
    type: 'text',
    text: `${name} さん、連携が完了しました。安否確認はこのLINEに届きます。連携を解除するには「連携解除」と送ってください。\nLinking is complete: safety checks will reach you here. To unlink, send "連携解除".`,
  };
}

export const LINK_FAILED =
  '連携できませんでした。リンクの有効期限が切れたか、すでに使われています。もう一度お試しください。\nLinking did not complete: the link has expired or was already used. Please try again.';

export const ALREADY_LINKED =
  'このLINEはすでに連携済みです。連携を解除するには「連携解除」と送ってください。\nThis LINE account is already linked. To unlink, send "連携解除".';

export function unlinkConfirm(): LineMessage {
  return buttonBubble(
    '連携を解除しますか? / Unlink?',
    '連携を解除すると、安否確認がLINEに届かなくなります (メール・SMSには届きます)。\nAfter unlinking, safety checks no longer reach you on LINE (email and SMS still do).',
    { label: '解除する / Unlink', postback: 'unlink' },
    '#C62828',
  );
}

export const UNLINKED_TEXT = '連携を解除しました。/ Your LINE account has been unlinked.';
export const NOT_LINKED = 'このLINEは連携されていません。/ This LINE account is not linked.';

export const NOT_AN_ANSWER =
  'メッセージを受け付け、担当者に届けました。ただし、メッセージは安否の回答にはなりません。安否は回答ページから回答してください。\n' +
  'Your message was passed on to the person in charge, but a message is not a safety answer: please answer on the answer page.';

export function answerLinks(links: { title: string; url: string }[]): LineMessage[] {
  return links
    .slice(0, 3)
    .map((l) =>
      buttonBubble(
        `【安否確認】${l.title}`,
        `【安否確認】${l.title}\n下のボタンから回答してください。/ Tap to answer.`,
        { label: '回答する / Answer', uri: l.url },
        '#C62828',
      ),
    );
}

export const SAFE_RECORDED =
  '「本人: 無事」を記録しました。ほかの質問には回答ページから回答してください。\nRecorded "You: safe". Please answer the other questions on the answer page.';

export const NOT_A_RECIPIENT =
  'この安否確認の回答者として登録されていません。担当者にお問い合わせください。\nYou are not among the recipients of this safety check. Please ask your administrator.';

export const CLOSED = 'この安否確認は締め切られました。/ This safety check is closed.';
