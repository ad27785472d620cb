import { mdCell } from '../../src/findings/render';
import { safeLine, wellFormed } from '../../src/findings/safeText';
import { defang, slackText } from '../../src/findings/slack';

describe('safeLine: one line, every character that could act shown as its escape', () => {
  test.each([
    ['an escape sequence', '\u001b[2Jx', '\\x1B[2Jx'],
    ['a single-byte CSI (C1)', '\u009b31mx', '\\x9B31mx'],
    ['NUL and DEL', 'a\u0000b\u007f', 'a\\x00b\\x7F'],
    ['line breaks of every kind fold to a space', 'a\r\nb\u2028c\u2029d\u0085e\tf', 'a b c d e f'],
    ['a right-to-left override', 'x\u202ey', 'x\\u202Ey'],
    ['bidi isolates and marks', '\u2066\u2067\u2068\u2069\u200e\u200f\u061c', '\\u2066\\u2067\\u2068\\u2069\\u200E\\u200F\\u061C'],
    ['zero-width and invisible characters', 'a\u200bb\u200cc\u200dd\u2060e\ufefff\u00adg', 'a\\u200Bb\\u200Cc\\u200Dd\\u2060e\\uFEFFf\\xADg'],
    ['tag characters', 'a\u{e0041}', 'a\\u{E0041}'],
    ['lone surrogates', 'a\ud800b\udc00', 'a\\uD800b\\uDC00'],
    ['text that is none of these, kept', 'prod/db-é-中文-🚀', 'prod/db-é-中文-🚀'],
  ])('%s', (_what, input, output) => {
    expect(safeLine(input)).toBe(output);
  });

  test('is idempotent, and takes 10,000 characters of anything', () => {
    const hostile = '\u001b\n\u202e\ud800\u0000'.repeat(2_000);
    const once = safeLine(hostile);
    expect(safeLine(once)).toBe(once);
    expect(once).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(() => encodeURIComponent(once)).not.toThrow();
  });

  test('wellFormed replaces lone surrogates the way a UTF-8 encoder would, and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00🚀')).toBe('a\ufffdb\ufffd🚀');
    expect(() => encodeURIComponent(wellFormed('\udfff\ud800'))).not.toThrow();
  });
});

describe('Markdown cells', () => {
  test('link, image, HTML, emphasis and table syntax are escaped; bare URLs are broken', () => {
    expect(mdCell('[x](https://evil.example) <b>*y*</b> | www.evil.example ~z~ &#x202E;')).toBe(
      '\\[x\\](https:&#47;&#47;evil.example) \\<b\\>\\*y\\*\\</b\\> \\| www&#46;evil.example \\~z\\~ \\&#x202E;',
    );
  });
});

describe('Slack text', () => {
  test('a word Slack would format, link or mention becomes code; plain words stay prose', () => {
    expect(slackText('Secret <https://evil.example|x> *b* @channel evil.example was deleted')).toBe('Secret `&lt;https://evil.example|x&gt;` `*b*` `@channel` `evil.example` was deleted');
  });

  test('a backtick cannot close the code span early', () => {
    expect(slackText('a`*b*`c')).toBe("`a'*b*'c`");
  });

  test('headers, which cannot hold code, defang URLs and domains', () => {
    expect(defang('Secret https://evil.example/x was deleted')).toBe('Secret https[:]//evil[.]example/x was deleted');
  });
});
