import { toPurl } from './purl';

describe('toPurl', () => {
  it.each([
    ['npm', '@babel/core', '7.0.0', 'pkg:npm/%40babel/core@7.0.0'],
    ['npm', 'lodash', '4.17.15', 'pkg:npm/lodash@4.17.15'],
    ['PyPI', 'django-rest-framework', '3.0', 'pkg:pypi/django-rest-framework@3.0'],
    ['Go', 'github.com/gin-gonic/gin', 'v1.6.0', 'pkg:golang/github.com/gin-gonic/gin@v1.6.0'],
    [
      'Maven',
      'org.apache.logging.log4j:log4j-core',
      '2.14.1',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    ],
    ['crates.io', 'serde', '1.0.130', 'pkg:cargo/serde@1.0.130'],
    ['RubyGems', 'rails', '7.0.4', 'pkg:gem/rails@7.0.4'],
    ['Packagist', 'symfony/http-kernel', '5.4.1', 'pkg:composer/symfony/http-kernel@5.4.1'],
    ['PyPI', 'flask', null, 'pkg:pypi/flask'],
  ] as const)('%s %s %s → %s', (ecosystem, name, version, purl) => {
    expect(toPurl(ecosystem, name, version)).toBe(purl);
  });
});
