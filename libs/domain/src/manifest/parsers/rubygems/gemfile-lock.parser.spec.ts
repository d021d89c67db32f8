import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { ParsedDependency } from '../../manifest.types';
import { gemfileLockParser } from './gemfile-lock.parser';

const fixture = manifestFixtures('rubygems');

const gem = (name: string, version: string, line: number, direct = false) =>
  ({
    ecosystem: 'RubyGems',
    name,
    version,
    scope: 'runtime',
    direct,
    manifestPath: 'Gemfile.lock',
    line,
  }) satisfies ParsedDependency;

describe('gemfileLockParser', () => {
  it('emits the gems of every GEM source once, strips platforms, marks DEPENDENCIES direct', () => {
    const { dependencies, diagnostics } = gemfileLockParser.parse('Gemfile.lock', fixture('Gemfile.lock'));
    expect(dependencies).toStrictEqual([
      gem('actionpack', '7.0.4', 19),
      gem('actionview', '7.0.4', 23),
      gem('activemodel', '7.0.4', 25),
      gem('activesupport', '7.0.4', 27),
      gem('concurrent-ruby', '1.1.10', 30),
      gem('mime-types', '3.4.1', 31),
      gem('mini_portile2', '2.8.0', 32),
      gem('nokogiri', '1.13.10', 33, true), // its -arm64-darwin and -x86_64-linux entries are the same version
      gem('pg', '1.4.5', 40, true),
      gem('puma', '5.6.5', 41, true),
      gem('nio4r', '2.5.8', 43),
      gem('racc', '1.6.1', 44),
      gem('rack', '2.2.4', 45),
      gem('rails', '7.0.4', 46, true),
      gem('rspec-rails', '6.0.1', 48, true),
      gem('tzinfo', '2.0.5', 50),
      gem('sidekiq-pro', '5.5.8', 56, true), // `sidekiq-pro!`: a gem with its own source
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'kt-paperclip 7.2.0 comes from git (https://github.com/acme/kt-paperclip.git); it has no registry version to check',
        line: 6,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'billing 0.1.0 comes from the local path engines/billing; it has no registry version to check',
        line: 13,
      },
    ]);
  });

  it('reads a CRLF lock with a BOM and a CHECKSUMS section, and reports a tab-indented line', () => {
    const text = fixture('crlf-bom-tabs.Gemfile.lock');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');
    expect(gemfileLockParser.parse('Gemfile.lock', text)).toStrictEqual({
      dependencies: [
        gem('rack', '2.0.8', 4, true),
        gem('loofah', '2.2.3', 5, true),
        gem('crass', '1.0.6', 8),
      ],
      diagnostics: [
        {
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: 'tab in indentation; Bundler indents with spaces: sinatra (2.0.8.1)',
          line: 9,
        },
      ],
    });
  });

  it('reads both sides of a merge conflict and reports every line it cannot read', () => {
    const { dependencies, diagnostics } = gemfileLockParser.parse(
      'Gemfile.lock',
      fixture('conflict.Gemfile.lock'),
    );
    expect(dependencies).toStrictEqual([gem('jwt', '2.2.2', 5, true), gem('jwt', '2.7.1', 7, true)]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: 'unresolved merge conflict marker; gems on both sides were read',
        line: 4,
      },
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: 'unresolved merge conflict marker; gems on both sides were read',
        line: 6,
      },
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: 'unresolved merge conflict marker; gems on both sides were read',
        line: 8,
      },
      {
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: 'cannot read gem "rexml 3.2.5"; expected "name (version)"',
        line: 9,
      },
      {
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: 'cannot read gem "faraday"; expected "name (version)"',
        line: 10,
      },
      {
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: 'unexpected indentation in GEM: json (2.6.3)',
        line: 12,
      },
      {
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: 'cannot read gem "(1.0.0)"; expected "name (version)"',
        line: 13,
      },
      {
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: 'cannot read dependency "faraday (~> 2.7"',
        line: 17,
      },
    ]);
  });

  it('keeps the gems of a truncated lock, all indirect, and says why', () => {
    expect(gemfileLockParser.parse('Gemfile.lock', fixture('truncated.Gemfile.lock'))).toStrictEqual({
      dependencies: [
        gem('addressable', '2.8.0', 4),
        gem('public_suffix', '4.0.6', 6),
        gem('rest-client', '2.1.0', 7),
      ],
      diagnostics: [
        {
          severity: 'error',
          code: 'MISSING_FIELD',
          message: 'Gemfile.lock has no DEPENDENCIES section (truncated?); every gem is reported as indirect',
        },
      ],
    });
  });

  it('reports an empty file', () => {
    expect(gemfileLockParser.parse('Gemfile.lock', fixture('empty.Gemfile.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'MISSING_FIELD',
          message: 'Gemfile.lock has no GEM, GIT or PATH section',
        },
      ],
    });
  });

  it('refuses binary content', () => {
    expect(gemfileLockParser.parse('Gemfile.lock', fixture('binary.Gemfile.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'Gemfile.lock is not a text file (binary content); it was skipped',
        },
      ],
    });
  });
});
