import { ValidationError } from '../errors';
import { parseChannelChange, parseNewChannel, type ChannelInputRules } from './notification-channel-input';

const rules: ChannelInputRules = { allowHttp: false, operatorSmtp: true };

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('REQUEST_INVALID');
    return (error as ValidationError).details.map((d) => d.field);
  }
  throw new Error('expected a ValidationError');
}

describe('parseNewChannel', () => {
  it('keeps the URL secret and shows only its host', () => {
    const parsed = parseNewChannel(
      { name: ' Alerts ', kind: 'slack', url: 'https://Hooks.Slack.com/services/T/B/X?x=1' },
      rules,
    );
    expect(parsed).toEqual({
      name: 'Alerts',
      kind: 'slack',
      target: {
        secret: { kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X?x=1' },
        summary: { host: 'hooks.slack.com' },
        hosts: [{ field: 'url', host: 'hooks.slack.com' }],
      },
    });
  });

  it('takes http only where the operator allows it', () => {
    expect(
      fieldsOf(() => parseNewChannel({ name: 'a', kind: 'teams', url: 'http://x.example/h' }, rules)),
    ).toEqual(['url']);
    expect(
      parseNewChannel({ name: 'a', kind: 'teams', url: 'http://x.example/h' }, { ...rules, allowHttp: true })
        .kind,
    ).toBe('teams');
  });

  it('names every bad field at once', () => {
    expect(fieldsOf(() => parseNewChannel({ name: '', kind: 'pager' }, rules))).toEqual(['name', 'kind']);
    expect(
      fieldsOf(() =>
        parseNewChannel(
          { name: 'm', kind: 'email', to: ['ok@example.com', 'bad'], from: 'x', url: 'https://a.example' },
          rules,
        ),
      ),
    ).toEqual(['url', 'to[1]', 'from']);
  });

  it.each([
    'https://u:p@example.com/h',
    'https://example.com/h#frag',
    'https://exa mple.com/h',
    'https://example.com\\@evil.example/h',
    `https://example.com/${'a'.repeat(2048)}`,
    'javascript:alert(1)',
  ])('refuses the URL %s', (url) => {
    expect(fieldsOf(() => parseNewChannel({ name: 'a', kind: 'discord', url }, rules))).toEqual(['url']);
  });

  it('needs an SMTP server of its own when the operator has none', () => {
    const input = { name: 'm', kind: 'email', to: ['a@example.com'] };
    expect(fieldsOf(() => parseNewChannel(input, { ...rules, operatorSmtp: false }))).toEqual(['smtp']);
    const own = parseNewChannel(
      { ...input, smtp: { host: 'SMTP.example.com', port: 587, secure: false, user: 'u', password: 'p' } },
      { ...rules, operatorSmtp: false },
    );
    expect(own.target.summary).toEqual({ to: ['a@example.com'], smtp_host: 'smtp.example.com' });
    expect(own.target.hosts).toEqual([{ field: 'smtp.host', host: 'smtp.example.com' }]);
  });

  it('refuses a user without a password and unknown SMTP fields', () => {
    expect(
      fieldsOf(() =>
        parseNewChannel(
          {
            name: 'm',
            kind: 'email',
            to: ['a@example.com'],
            smtp: { host: 'h.example', port: 25, secure: false, user: 'u', tls: {} },
          },
          rules,
        ),
      ),
    ).toEqual(['smtp.tls', 'smtp.password']);
  });
});

describe('parseChannelChange', () => {
  const current = {
    kind: 'webhook' as const,
    secret: { kind: 'webhook' as const, url: 'https://a.example/h', secret: 'whsec_x' },
    summary: { host: 'a.example' },
  };

  it('keeps the signing secret when the URL changes, and the kind never changes', () => {
    expect(parseChannelChange(current, { url: 'https://b.example/h' }, rules).target?.secret).toEqual({
      kind: 'webhook',
      url: 'https://b.example/h',
      secret: 'whsec_x',
    });
    expect(fieldsOf(() => parseChannelChange(current, { kind: 'slack' }, rules))).toEqual(['kind']);
    expect(parseChannelChange(current, { name: 'new' }, rules)).toEqual({ name: 'new' });
  });

  it("keeps an email channel's recipients and server when only the sender changes", () => {
    const email = {
      kind: 'email' as const,
      secret: { kind: 'email' as const, smtp: { host: 'smtp.example.com', port: 465, secure: true } },
      summary: { to: ['a@example.com'], smtp_host: 'smtp.example.com' },
    };
    const change = parseChannelChange(email, { from: 'me@example.com' }, rules);
    expect(change.target?.summary).toEqual({
      to: ['a@example.com'],
      from: 'me@example.com',
      smtp_host: 'smtp.example.com',
    });
    // The server was judged when it was saved; it is not judged again for a change of sender.
    expect(change.target?.hosts).toEqual([]);
  });
});
