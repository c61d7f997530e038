// The JSON each chat service accepts for an alert, in Flagger's layouts (pkg/notifier): Slack attachments (also
// used by Discord's Slack-compatible endpoint and by Rocket.Chat), a Microsoft Teams MessageCard and a Google Chat
// card. Colours follow the severity.
import type { AlertProviderType } from '@linnet/api';
import type { AlertNotice, AlertSeverity } from './alert-notice.ts';

export interface SlackPayload {
  channel: string;
  username: string;
  icon_emoji: string;
  attachments: Array<{
    color: string;
    author_name: string;
    text: string;
    mrkdwn_in: string[];
    fields: Array<{ title: string; value: string; short: boolean }>;
  }>;
}

export interface TeamsPayload {
  '@type': 'MessageCard';
  '@context': 'http://schema.org/extensions';
  themeColor: string;
  summary: string;
  sections: Array<{ activityTitle: string; activitySubtitle: string; facts: Array<{ name: string; value: string }> }>;
}

export interface GoogleChatPayload {
  cards: Array<{
    header: { title: string; subtitle: string };
    sections: Array<{ widgets: Array<{ textParagraph: { text: string } }> }>;
  }>;
}

export type AlertPayload = SlackPayload | TeamsPayload | GoogleChatPayload;

/** Slack's named attachment colours; Flagger used only good and danger. */
const SLACK_COLOURS: Record<AlertSeverity, string> = { info: 'good', warn: 'warning', error: 'danger' };
/** Hex colours for services without named ones (Flagger's blue and red, plus amber for warnings). */
const HEX_COLOURS: Record<AlertSeverity, string> = { info: '0076D7', warn: 'FFA500', error: 'FF0000' };

export function alertPayload(
  type: AlertProviderType,
  notice: AlertNotice,
  sender: { username: string; channel: string },
): AlertPayload {
  switch (type) {
    case 'slack':
    case 'discord':
      return slackPayload(notice, sender, SLACK_COLOURS[notice.severity]);
    case 'rocket':
      return slackPayload(notice, sender, `#${HEX_COLOURS[notice.severity]}`);
    case 'msteams':
      return teamsPayload(notice);
    case 'gchat':
      return googleChatPayload(notice);
  }
}

/** Discord takes Slack's format on the webhook URL with "/slack" appended (as Flagger does). */
export function alertUrl(type: AlertProviderType, url: string): string {
  if (type !== 'discord' || url.endsWith('/slack')) return url;
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/slack`;
  return parsed.toString();
}

function canaryTitle(notice: AlertNotice): string {
  return `${notice.canary.name}.${notice.canary.namespace}`;
}

function slackPayload(notice: AlertNotice, sender: { username: string; channel: string }, color: string): SlackPayload {
  return {
    channel: sender.channel,
    username: sender.username,
    icon_emoji: ':rocket:',
    attachments: [
      {
        color,
        author_name: canaryTitle(notice),
        text: notice.text,
        mrkdwn_in: ['text'],
        fields: notice.fields.map((field) => ({ title: field.title, value: field.value, short: false })),
      },
    ],
  };
}

function teamsPayload(notice: AlertNotice): TeamsPayload {
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: HEX_COLOURS[notice.severity],
    summary: canaryTitle(notice),
    sections: [
      {
        activityTitle: notice.text,
        activitySubtitle: canaryTitle(notice),
        facts: notice.fields.map((field) => ({ name: field.title, value: field.value })),
      },
    ],
  };
}

/** Google Chat text paragraphs take a little HTML: the text is escaped, then set in grey bold as Flagger does. */
function googleChatPayload(notice: AlertNotice): GoogleChatPayload {
  const paragraph = (text: string) => ({ widgets: [{ textParagraph: { text } }] });
  const emphasised = (text: string) => `<font color="#848484"><strong>${escapeHtml(text)}</strong></font>`;
  return {
    cards: [
      {
        header: { title: 'Linnet', subtitle: canaryTitle(notice) },
        sections: [
          paragraph(emphasised(notice.text)),
          ...notice.fields.map((field) => paragraph(`${escapeHtml(field.title)}<br>${emphasised(field.value)}`)),
        ],
      },
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}
