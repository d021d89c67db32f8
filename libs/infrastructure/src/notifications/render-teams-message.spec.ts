import { validateTeams } from '../../../../test/support/notification-receivers';
import { manyEvents, message } from './notification-message.test-helper';
import { renderTeamsMessage } from './render-teams-message';

const cardOf = (rendered: Record<string, unknown>) =>
  (
    rendered['attachments'] as { content: { body: { type: string; text?: string }[]; actions: unknown[] } }[]
  )[0]!.content;

describe('renderTeamsMessage', () => {
  it('is a message with one Adaptive Card 1.4 attachment, as Teams Workflows takes it', () => {
    const rendered = renderTeamsMessage(message(manyEvents(3)));
    expect(validateTeams(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(rendered).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            actions: [{ type: 'Action.OpenUrl', url: 'https://repoguard.example.com/api/v1/repos/repo-1' }],
          },
        },
      ],
    });
    expect(cardOf(rendered).body[1]).toMatchObject({ type: 'FactSet' });
  });

  it('cuts a long list with "and N more" and stays under the 28 KB Teams takes', () => {
    const rendered = renderTeamsMessage(message(manyEvents(300, { long: true })));
    expect(validateTeams(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(cardOf(rendered).body.some((b) => b.text === 'and 280 more')).toBe(true);
  });

  it('escapes Markdown a stranger wrote, so it cannot become a link', () => {
    const rendered = renderTeamsMessage(message(manyEvents(1, { hostile: true })));
    expect(JSON.stringify(rendered)).not.toContain('[click](https://evil.example)');
  });

  it('has no actions without a link', () => {
    const rendered = renderTeamsMessage(message(manyEvents(1), { link: null }));
    expect(validateTeams(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(cardOf(rendered).actions).toEqual([]);
  });
});
