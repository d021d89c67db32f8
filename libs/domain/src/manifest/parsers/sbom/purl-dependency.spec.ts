import { packageOfPurl, readPurl } from './purl-dependency';

describe('readPurl and packageOfPurl', () => {
  it.each([
    ['pkg:npm/%40babel/core@7.0.0', 'npm', '@babel/core', '7.0.0'],
    ['pkg:npm/@babel/core@7.0.0', 'npm', '@babel/core', '7.0.0'],
    ['pkg:npm/lodash@4.17.15?vcs_url=x#lib', 'npm', 'lodash', '4.17.15'],
    ['pkg:pypi/Django_REST.framework@3.0', 'PyPI', 'django-rest-framework', '3.0'],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar',
      'Maven',
      'org.apache.logging.log4j:log4j-core',
      '2.14.1',
    ],
    ['pkg:golang/github.com/gin-gonic/gin@v1.6.0', 'Go', 'github.com/gin-gonic/gin', 'v1.6.0'],
    ['pkg:cargo/serde@1.0.130', 'crates.io', 'serde', '1.0.130'],
    ['pkg:gem/nokogiri@1.13.0?platform=x86_64-linux', 'RubyGems', 'nokogiri', '1.13.0'],
    ['pkg:composer/Symfony/HTTP-Kernel@v5.4.1', 'Packagist', 'symfony/http-kernel', '5.4.1'],
    ['PKG:NPM/left-pad', 'npm', 'left-pad', undefined],
    ['pkg:npm/a%2Fb@1%2B2', 'npm', 'a/b', '1+2'],
  ])('%s → %s %s %s', (text, ecosystem, name, version) => {
    const purl = readPurl(text);
    expect(purl && packageOfPurl(purl)).toStrictEqual({ ecosystem, name, version });
  });

  it.each([
    'npm/x@1',
    'pkg:',
    'pkg:npm',
    'pkg:npm/',
    'pkg:1npm/x',
    'pkg:npm/%E0%A4%A@1',
    `pkg:npm/${'a'.repeat(3000)}`,
    'pkg:npm//@1',
  ])('%s is not a purl', (text) => {
    expect(readPurl(text)).toBeUndefined();
  });

  it('names the package types RepoGuard has no ecosystem for', () => {
    expect(packageOfPurl(readPurl('pkg:deb/debian/curl@7.0')!)).toStrictEqual({ unsupportedType: 'deb' });
    expect(packageOfPurl(readPurl('pkg:nuget/Newtonsoft.Json@13.0.1')!)).toStrictEqual({
      unsupportedType: 'nuget',
    });
  });
});
