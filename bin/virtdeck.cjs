#!/usr/bin/env node
// `npx virtdeck …`: the headless CLI, built by `npm run build` into out/main/headless.js.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'out', 'main', 'headless.js');
if (!existsSync(entry)) {
  process.stderr.write('virtdeck: not built yet; run `npm run build` in the VirtDeck checkout first\n');
  process.exit(2);
}
require(entry);
