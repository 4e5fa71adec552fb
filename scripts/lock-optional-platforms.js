#!/usr/bin/env node
// Run after `npm install` changes package-lock.json. The registry mirror this project is built against
// serves only the linux binaries of packages such as @swc/core, so npm leaves the other platforms'
// optional packages out of the lock, and `npm ci` then refuses the lock as out of sync. Recording
// each missing optional package by its version (npm skips or fetches it by platform) keeps the lock whole.
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    lock.packages[key] = { version: spec, optional: true };
    added++;
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: recorded ${added} optional platform package(s)`);
