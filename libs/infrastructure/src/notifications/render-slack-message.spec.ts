import { validateSlack } from '../../../../test/support/notification-receivers';
import { manyEvents, message } from './notification-message.test-helper';
import { renderSlackMessage, SLACK_LIMITS } from './render-slack-message';

const sectionTexts = (rendered: ReturnType<typeof renderSlackMessage>) =>
  rendered.blocks.flatMap((b) =>
    b['type'] === 'section' && b['text'] ? [(b['text'] as { text: string }).text] : [],
  );

describe('renderSlackMessage', () => {
  it('renders a fallback text and Block Kit: header, facts, events, context, a button', () => {
    const rendered = renderSlackMessage(message(manyEvents(2)));
    expect(validateSlack(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(rendered.text).toBe('2 new vulnerabilities in acme/api (2 events)');
    expect(rendered.blocks.map((b) => b['type'])).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context',
      'actions',
    ]);
    expect(JSON.stringify(rendered.blocks.at(-1))).toContain(
      'https://repoguard.example.com/api/v1/repos/repo-1',
    );
    expect(sectionTexts(rendered)[0]).toContain('*HIGH GHSA-0000-aaaa-bbbb in package-0@1.0.0 (acme/api)*');
  });

  it('stays within 50 blocks and says how many events it left out', () => {
    const rendered = renderSlackMessage(message(manyEvents(500)));
    expect(validateSlack(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(rendered.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(sectionTexts(rendered)).toContain('_and 480 more_');
  });

  it('cuts a long title and a long summary to the header and section limits', () => {
    const rendered = renderSlackMessage(message(manyEvents(1, { long: true }), { title: 'T'.repeat(400) }));
    expect(validateSlack(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect((rendered.blocks[0]!['text'] as { text: string }).text).toHaveLength(150);
    expect(sectionTexts(rendered)[0]!.length).toBeLessThanOrEqual(3000);
  });

  it('escapes what strangers wrote, so no link or @channel mention can form', () => {
    const rendered = renderSlackMessage(message(manyEvents(1, { hostile: true })));
    const json = JSON.stringify(rendered);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<script>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('has no button without a link, and still renders an empty event list', () => {
    const rendered = renderSlackMessage(message([], { link: null }));
    expect(validateSlack(rendered, JSON.stringify(rendered), {})).toEqual([]);
    expect(rendered.blocks.map((b) => b['type'])).toEqual(['header', 'section', 'context']);
  });
});
