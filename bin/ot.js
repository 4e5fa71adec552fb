#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const main = path.join(__dirname, '..', 'dist', 'client', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('ot: the project is not built yet: run `npm run build` (npm start does it)\n');
  process.exit(1);
}
require(main)
  .runCli(process.argv)
  .then((code) => process.exit(code));
