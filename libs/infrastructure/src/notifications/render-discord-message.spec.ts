import { validateDiscord } from '../../../../test/support/notification-receivers';
import { manyEvents, message } from './notification-message.test-helper';
import { renderDiscordMessage } from './render-discord-message';

type Embed = {
  title: string;
  description: string;
  color: number;
  fields: { name: string; value: string }[];
  footer: { text: string };
};
const embedOf = (rendered: Record<string, unknown>) => (rendered['embeds'] as Embed[])[0]!;

describe('renderDiscordMessage', () => {
  it('renders one embed with mentions switched off', () => {
    const rendered = renderDiscordMessage(message(manyEvents(2)));
    expect(validateDiscord(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(rendered['allowed_mentions']).toEqual({ parse: [] });
    expect(embedOf(rendered)).toMatchObject({
      title: '2 new vulnerabilities in acme/api',
      url: 'https://repoguard.example.com/api/v1/repos/repo-1',
      color: 0xd9534f,
      timestamp: '2026-12-05T10:00:00.000Z',
    });
  });

  it('keeps within 4,096 characters of description and 6,000 in all, saying how many it left out', () => {
    const rendered = renderDiscordMessage(
      message(manyEvents(400, { long: true }), { title: 'T'.repeat(1000) }),
    );
    expect(validateDiscord(rendered, JSON.stringify(rendered), {})).toEqual([]);
    const embed = embedOf(rendered);
    expect(embed.title).toHaveLength(256);
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/and \d+ more$/);
  });

  it('escapes Markdown and breaks @everyone in what strangers wrote', () => {
    const rendered = renderDiscordMessage(message(manyEvents(1, { hostile: true })));
    const description = embedOf(rendered).description;
    expect(description).not.toContain('@everyone');
    expect(description).not.toContain('[click](https://evil.example)');
  });
});
