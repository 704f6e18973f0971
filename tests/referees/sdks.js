'use strict';
// Loads every SDK of the referee package and prints its installed version: the package installs and loads, the
// coming Volcengine and Huawei adapters included (Huawei's SDK writes under HOME: the harness points it at a
// temporary folder). Output: {hosts, versions: {name: version}}.
const { finish } = require('./lib/harness');
const fs = require('fs');
const path = require('path');

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
// The full Tencent SDK is here for its TypeScript models only (the field-name tests read live_models.d.ts); loading
// all of it takes seconds.
const modelsOnly = new Set(['tencentcloud-sdk-nodejs']);
const versions = {};
for (const name of Object.keys(pkg.dependencies)) {
  if (!modelsOnly.has(name)) {
    require(name);
  }
  versions[name] = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8')).version;
}
finish({ versions });
