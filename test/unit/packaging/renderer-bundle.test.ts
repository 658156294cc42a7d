// The production renderer (out/renderer, from `electron-vite build`) loads nothing from outside
// the app: no http(s) URL in its HTML, CSS or JS but documentation/licence links and XML namespaces.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const OUT = 'out/renderer';
/** URLs that are text, never fetched: XML namespaces, licence headers, docs links in messages. */
const ALLOWED = [
  /^http:\/\/www\.w3\.org\//, // SVG, XLink, XHTML, MathML namespaces
  /^https?:\/\/(www\.)?(opensource\.org|apache\.org\/licenses|mozilla\.org\/MPL)\b/, // licence headers
  /^https:\/\/(github\.com|vuejs\.org|vue-i18n\.intlify\.dev|router\.vuejs\.org|pinia\.vuejs\.org)\b/, // dev warnings
  /^https?:\/\/(www\.)?(naiveui\.com|echarts\.apache\.org|git\.io|fb\.me|reactjs\.org|tc39\.es)\b/, // docs links
  /^https:\/\/(libvirt\.org|developer\.mozilla\.org|prometheus\.io)\b/, // VirtDeck's own help links
  /^http:\/\/(emailregex\.com|blogs\.adobe\.com)\//, // comments kept in naive-ui's validator, zrender
  /^https?:\/\/json-schema\.org\/draft/, // zod's JSON-schema $schema identifiers
  /^http:\/\/\[\$\{/, // zod builds `http://[${ip}]` to test whether an IPv6 address parses
  // the default webhook address in the notifier form: the main process posts to it, not the page
  /^http:\/\/127\.0\.0\.1:9093$/,
  // the Prometheus URL placeholder in Settings (the main process queries it, not the page; the
  // Chinese hint follows the URL without a space, so the match runs on)
  /^http:\/\/127\.0\.0\.1:9090(?![\w.:/])/,
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('production renderer bundle', () => {
  const built = existsSync(join(OUT, 'index.html'));
  it.skipIf(!built && process.env.CI !== 'true')('loads nothing from outside the app', () => {
    expect(built, `${OUT} is missing: run \`npx electron-vite build\` first`).toBe(true);
    const foreign: string[] = [];
    const texts = files(OUT).filter((f) => /\.(html|css|js|mjs|svg)$/.test(f));
    expect(texts.some((f) => f.endsWith('.js'))).toBe(true);
    for (const file of texts) {
      const text = readFileSync(file, 'utf8');
      for (const [url] of text.matchAll(/https?:\/\/[^\s"'`)<>\\]+/g)) {
        if (!ALLOWED.some((re) => re.test(url))) foreign.push(`${relative(OUT, file)}: ${url}`);
      }
      if (/\.(html|css)$/.test(file)) {
        // in markup and styles any absolute URL would be fetched: none at all, allowed or not
        const fetched = text.match(/(src|href)=["']https?:|url\(["']?https?:|@import\s+["']?https?:/g);
        expect(fetched, `${file} fetches ${String(fetched)}`).toBeNull();
      }
    }
    expect([...new Set(foreign)]).toEqual([]);
  });
});
