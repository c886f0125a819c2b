import type { LineWorksContent } from '#anpi/channels';

/** What anpi says to employees on LINE WORKS, Japanese first with English beside it. */

export const SAFE_RECORDED: LineWorksContent = {
  type: 'text',
  text: '「本人: 無事」を記録しました。ほかの質問には、メッセージの「回答する」から回答してください。\nRecorded "You: safe". Please answer the other questions with the "Answer" button.',
};

export const NOT_OFFERED: LineWorksContent = {
  type: 'text',
  text: 'この安否確認はワンタップ回答を受け付けていません。「回答する」から回答してください。\nThis safety check takes no one-tap answer: please use the "Answer" button.',
};

export const NOT_A_RECIPIENT: LineWorksContent = {
  type: 'text',
  text: 'この安否確認の回答者として確認できませんでした。担当者にお問い合わせください。\nYou could not be confirmed as a recipient of this safety check. Please ask your administrator.',
};

export const CLOSED: LineWorksContent = { type: 'text', text: 'この安否確認は締め切られました。/ This safety check is closed.' };

export const UNKNOWN_SENDER: LineWorksContent = {
  type: 'text',
  text:
    'メッセージの送り主を社員情報と照合できませんでした。安否は届いたメッセージの「回答する」から回答してください。\n' +
    'We could not match you to an employee record. Please answer with the "Answer" button of the safety check you received.',
};

/** The automatic reply to text, as on LINE: passed on, but not an answer; the open answer links. */
export function notAnAnswer(open: { title: string; url: string }[]): LineWorksContent {
  const text =
    'メッセージを受け付け、担当者に届けました。ただし、メッセージは安否の回答にはなりません。安否は回答ページから回答してください。\n' +
    'Your message was passed on to the person in charge, but a message is not a safety answer: please answer on the answer page.';
  const first = open[0];
  if (!first) return { type: 'text', text };
  return {
    type: 'button_template',
    contentText: `${text}\n【安否確認】${first.title}`.slice(0, 1000),
    actions: [{ type: 'uri', label: '回答する / Answer', uri: first.url }],
  };
}
