import { mailSendBody, withoutRepeatedAddresses } from './sendgrid-email-provider.js';
import { EMAIL_MARKERS, fillEmailMarkers } from './email-template.js';
import type { EmailRecipient } from './email-provider.js';

const recipient = (id: string, to: string): EmailRecipient => ({ id, to, values: { [EMAIL_MARKERS.name]: `name-${id}` } });

describe('SendGrid requests', () => {
  it('never name one address twice in a request, and hold at most the batch size', () => {
    const recipients = [recipient('1', 'a@x.jp'), recipient('2', 'b@x.jp'), recipient('3', 'A@x.jp'), recipient('4', 'c@x.jp'), recipient('5', 'a@x.jp')];
    const requests = withoutRepeatedAddresses(recipients, 3);
    expect(requests.map((r) => r.map((x) => x.id))).toEqual([['1', '2', '4'], ['3'], ['5']]);
    expect(withoutRepeatedAddresses(recipients.slice(0, 2), 1000)).toHaveLength(1);
    expect(withoutRepeatedAddresses([], 1000)).toEqual([]);
  });

  it('carry one personalization per recipient: its address, subject, substitutions and delivery id; click tracking off', () => {
    const body = mailSendBody(
      {
        from: { fromName: '安否確認', fromAddress: 'anpi@x.jp' },
        subject: `【安否確認】${EMAIL_MARKERS.name}`,
        text: `${EMAIL_MARKERS.name} さん`,
        html: `<p>${EMAIL_MARKERS.nameHtml}</p>`,
        recipients: [],
        trackDeliveries: true,
      },
      [recipient('d-1', 'a@x.jp'), recipient('d-2', 'b@x.jp, c@x.jp')],
    ) as { personalizations: Record<string, unknown>[]; tracking_settings: unknown; content: unknown };
    expect(body.personalizations).toEqual([
      {
        to: [{ email: 'a@x.jp' }],
        subject: '【安否確認】name-d-1',
        substitutions: { [EMAIL_MARKERS.name]: 'name-d-1' },
        custom_args: { anpi_delivery_id: 'd-1' },
      },
      {
        to: [{ email: 'b@x.jp' }, { email: 'c@x.jp' }],
        subject: '【安否確認】name-d-2',
        substitutions: { [EMAIL_MARKERS.name]: 'name-d-2' },
        custom_args: { anpi_delivery_id: 'd-2' },
      },
    ]);
    expect(body.content).toEqual([
      { type: 'text/plain', value: `${EMAIL_MARKERS.name} さん` },
      { type: 'text/html', value: `<p>${EMAIL_MARKERS.nameHtml}</p>` },
    ]);
    expect(body.tracking_settings).toMatchObject({ click_tracking: { enable: false } });
  });

  it('fill markers once: a value that looks like a marker stays as written', () => {
    expect(fillEmailMarkers(`${EMAIL_MARKERS.name}/${EMAIL_MARKERS.link}`, { [EMAIL_MARKERS.name]: EMAIL_MARKERS.link, [EMAIL_MARKERS.link]: 'L' })).toBe(
      `${EMAIL_MARKERS.link}/L`,
    );
  });
});
