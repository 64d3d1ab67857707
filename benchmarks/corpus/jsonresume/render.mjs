// Render one JSON Resume document to HTML with an npm theme, for offline printing:
//   node render.mjs <theme> <resume.json> <out.html>
// Themes link their CSS/fonts from CDNs; the machine that builds the corpus has no such access,
// and a missing stylesheet changes the layout (Bootstrap's grid makes the columns). So the CDN
// links the themes use are pointed at the same packages installed from npm, and every other
// remote reference (scripts, web fonts, avatars) is dropped: the PDF must not depend on the network.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const local = (p) => pathToFileURL(path.join(here, 'node_modules', p)).href;

const CDN = [
  [/https:\/\/[^"']*bootstrap[^"']*\/3\.\d\.\d\/css\/bootstrap(\.min)?\.css/g, local('bootstrap/dist/css/bootstrap.min.css')],
  [/https:\/\/[^"']*font-awesome\/4\.7\.0\/css\/font-awesome(\.min)?\.css/g, local('font-awesome/css/font-awesome.min.css')],
  [/https:\/\/[^"']*font-awesome\/[56]\.[\d.]+\/css\/all(\.min)?\.css/g, local('@fortawesome/fontawesome-free/css/all.min.css')],
];

function offline(html) {
  for (const [pattern, replacement] of CDN) html = html.replace(pattern, replacement);
  return html
    .replace(/<script\b[^>]*\bsrc=["']https?:[^>]*>\s*<\/script>/gi, '')
    .replace(/<link\b[^>]*\bhref=["']https?:[^>]*>/gi, (tag) => (/rel=["']?stylesheet|preconnect|preload/i.test(tag) ? '' : tag))
    .replace(/@import\s+url\(["']?https?:[^)]*\);?/gi, '')
    .replace(/<img\b[^>]*\bsrc=["']https?:[^>]*>/gi, '');
}

const [theme, input, output] = process.argv.slice(2);
if (!theme || !input || !output) {
  console.error('usage: node render.mjs <theme> <resume.json> <out.html>');
  process.exit(2);
}
const name = `jsonresume-theme-${theme}`;
let mod;
try {
  mod = require(name);
} catch {
  mod = await import(name); // ESM-only themes
}
const render = mod.render ?? mod.default?.render;
const resume = JSON.parse(fs.readFileSync(input, 'utf8'));
fs.writeFileSync(output, offline(await render(resume)));
