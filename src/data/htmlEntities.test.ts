import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities } from './htmlEntities.ts';

describe('decodeHtmlEntities', () => {
  it('decodes the entities found in tweets', () => {
    expect(decodeHtmlEntities('Tom &amp; Jerry &lt;3 &gt;:( &quot;hi&quot; it&#39;s &apos;ok&apos;')).toBe(
      'Tom & Jerry <3 >:( "hi" it\'s \'ok\'',
    );
  });
  it('decodes numeric references, decimal and hex, including astral code points', () => {
    expect(decodeHtmlEntities('&#x27;&#X41;&#128512;&#x1F600;')).toBe("'A😀😀");
  });
  it('decodes once only and leaves unknown or invalid references alone', () => {
    expect(decodeHtmlEntities('&amp;lt;')).toBe('&lt;');
    expect(decodeHtmlEntities('&bogus; &#0; &#xD800; & ; AT&T')).toBe('&bogus; &#0; &#xD800; & ; AT&T');
    expect(decodeHtmlEntities('no entities')).toBe('no entities');
  });
});
