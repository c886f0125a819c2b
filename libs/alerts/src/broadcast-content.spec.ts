import { BroadcastContentError, content } from './broadcast-content.js';
import { PRESETS } from './presets.js';

describe('broadcast content', () => {
  it('reads every stored column of a preset as its type', () => {
    const preset = JSON.parse(JSON.stringify(PRESETS.earthquake));
    expect(content.questions(preset.questions).map((q) => q.id)).toEqual(['self', 'family', 'home', 'work']);
    expect(content.freeText(preset.freeText)).toMatchObject({ required: false });
    expect(content.notificationDetail(preset.notificationDetail)).toEqual({ line: 'title_only', email: 'full', sms: 'title_only', lineworks: 'title_only' });
    expect(content.reminder(null)).toBeNull();
    expect(content.escalation({ order: ['line', 'sms'], afterMinutes: 15 })).toEqual({ order: ['line', 'sms'], afterMinutes: 15 });
    expect(content.targets({ departmentIds: ['a'] })).toEqual({ departmentIds: ['a'] });
  });

  it('refuses a stored value of the wrong shape, naming the column and the field', () => {
    expect(() => content.questions([{ id: 'self', label: '本人', required: 'yes', options: [] }])).toThrow(BroadcastContentError);
    expect(() => content.escalation({ order: ['fax'], afterMinutes: 1 })).toThrow(/escalation.*order/);
  });

  it('parses one stored value once, however often it is read', () => {
    const stored = [{ id: 'self', label: '本人', required: true, options: [{ id: 'safe', label: '無事' }] }];
    expect(content.questions(stored)).toBe(content.questions(stored));
  });
});
