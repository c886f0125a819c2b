import { checkMessage } from './lineworks-stand-in.js';

/** The stand-in holds anpi to LINE WORKS' documented message rules: it must refuse what LINE WORKS would. */
describe('LINE WORKS message rules (stand-in)', () => {
  const json = 'application/json';
  const button = (actions: unknown[], contentText = '本文') => ({ content: { type: 'button_template', contentText, actions } });

  it('takes a text and a button template with a URI and a message action', () => {
    expect(checkMessage(json, { content: { type: 'text', text: 'hello' } })).toEqual([]);
    expect(
      checkMessage(
        json,
        button([
          { type: 'uri', label: '回答する', uri: 'https://x/a/1' },
          { type: 'message', label: '無事です', postback: 'safe:1' },
        ]),
      ),
    ).toEqual([]);
  });

  it('refuses what the pages rule out: long texts and labels, a postback action in a button template, too many buttons, no content', () => {
    expect(checkMessage(json, { content: { type: 'text', text: 'x'.repeat(2001) } })).toEqual(['content.text is longer than 2000 characters']);
    expect(checkMessage(json, button([{ type: 'uri', label: 'x', uri: 'https://x' }], 'あ'.repeat(1001)))).toEqual([
      'content.contentText is longer than 1000 characters',
    ]);
    expect(checkMessage(json, button([{ type: 'uri', label: 'x'.repeat(21), uri: 'https://x' }]))[0]).toMatch(/label is longer than 20/);
    expect(checkMessage(json, button([{ type: 'postback', label: 'x', data: 'd' }]))[0]).toMatch(/postback action cannot be used in a button template/);
    expect(checkMessage(json, button(Array.from({ length: 11 }, () => ({ type: 'uri', label: 'x', uri: 'https://x' }))))[0]).toMatch(/at most 10/);
    expect(checkMessage(json, button([{ type: 'message', label: 'x', postback: 'p'.repeat(301) }]))[0]).toMatch(/postback is longer than 300/);
    expect(checkMessage('text/plain', { content: { type: 'text', text: 'x' } })).toEqual(['Content-Type must be application/json']);
    expect(checkMessage(json, {})).toEqual(['content is required (an object)']);
  });
});
