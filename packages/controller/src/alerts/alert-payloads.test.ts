import { describe, expect, it } from '@jest/globals';
import type { AlertNotice } from './alert-notice.ts';
import { alertPayload, alertUrl } from './alert-payloads.ts';

const notice = (severity: AlertNotice['severity']): AlertNotice => ({
  canary: { name: 'backend', namespace: 'shop' },
  severity,
  text: 'Failed checks threshold reached 2',
  fields: [
    { title: 'Target', value: 'Deployment/backend.shop' },
    { title: 'Progress deadline', value: '600s' },
  ],
});
const sender = { username: 'flagger', channel: 'deployments' };

describe('alertPayload', () => {
  it("posts Slack attachments with Flagger's layout, coloured by severity", () => {
    expect(alertPayload('slack', notice('error'), sender)).toEqual({
      channel: 'deployments',
      username: 'flagger',
      icon_emoji: ':rocket:',
      attachments: [
        {
          color: 'danger',
          author_name: 'backend.shop',
          text: 'Failed checks threshold reached 2',
          mrkdwn_in: ['text'],
          fields: [
            { title: 'Target', value: 'Deployment/backend.shop', short: false },
            { title: 'Progress deadline', value: '600s', short: false },
          ],
        },
      ],
    });
    const colours = (['info', 'warn', 'error'] as const).map(
      (severity) =>
        (alertPayload('slack', notice(severity), sender) as { attachments: Array<{ color: string }> }).attachments[0]
          ?.color,
    );
    expect(colours).toEqual(['good', 'warning', 'danger']);
  });

  it('posts the Slack format to Discord and Rocket.Chat (Rocket with hex colours)', () => {
    expect(alertPayload('discord', notice('info'), sender)).toEqual(alertPayload('slack', notice('info'), sender));
    expect(alertPayload('rocket', notice('error'), sender)).toMatchObject({
      channel: 'deployments',
      attachments: [{ color: '#FF0000', author_name: 'backend.shop' }],
    });
  });

  it('posts a Microsoft Teams MessageCard', () => {
    expect(alertPayload('msteams', notice('info'), sender)).toEqual({
      '@type': 'MessageCard',
      '@context': 'http://schema.org/extensions',
      themeColor: '0076D7',
      summary: 'backend.shop',
      sections: [
        {
          activityTitle: 'Failed checks threshold reached 2',
          activitySubtitle: 'backend.shop',
          facts: [
            { name: 'Target', value: 'Deployment/backend.shop' },
            { name: 'Progress deadline', value: '600s' },
          ],
        },
      ],
    });
    expect(alertPayload('msteams', notice('error'), sender)).toMatchObject({ themeColor: 'FF0000' });
  });

  it('posts a Google Chat card with the text and each field as escaped paragraphs', () => {
    const payload = alertPayload('gchat', { ...notice('warn'), text: 'weight <10> & more' }, sender);
    expect(payload).toEqual({
      cards: [
        {
          header: { title: 'Linnet', subtitle: 'backend.shop' },
          sections: [
            {
              widgets: [
                {
                  textParagraph: { text: '<font color="#848484"><strong>weight &lt;10&gt; &amp; more</strong></font>' },
                },
              ],
            },
            {
              widgets: [
                {
                  textParagraph: {
                    text: 'Target<br><font color="#848484"><strong>Deployment/backend.shop</strong></font>',
                  },
                },
              ],
            },
            {
              widgets: [
                { textParagraph: { text: 'Progress deadline<br><font color="#848484"><strong>600s</strong></font>' } },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('alertUrl', () => {
  it("appends /slack to Discord webhooks (Discord's Slack-compatible endpoint), once", () => {
    expect(alertUrl('discord', 'https://discord.com/api/webhooks/1/abc')).toBe(
      'https://discord.com/api/webhooks/1/abc/slack',
    );
    expect(alertUrl('discord', 'https://discord.com/api/webhooks/1/abc/slack')).toBe(
      'https://discord.com/api/webhooks/1/abc/slack',
    );
    expect(alertUrl('slack', 'https://hooks.slack.com/services/x')).toBe('https://hooks.slack.com/services/x');
  });
});
