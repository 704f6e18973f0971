'use strict';
// Records the wire names and types of vendor request/response models, as the vendors' own SDK sources declare them,
// into models/*.json, which the field-name tests (tests/LiveCloud.Referees.Tests) check the adapters against.
// Run by hand when a vendor's SDK changes; CI reads the recorded files (the vendors' SDK repositories are not
// installed by npm). It records names and types only, never code.
//
//   node tools/extract-models.js aliyun <dir of live-20161101/src/models> <commit> <Action>...
//     from github.com/aliyun/alibabacloud-typescript-sdk: {Action}Request.ts and {Action}ResponseBody.ts (the
//     classes' static names() and types()).
//   node tools/extract-models.js qiniu <dir of pili> <commit>
//     from github.com/qiniu/go-sdk: the structs of pili/*_model.go (their json tags and Go types) and the query
//     parameters each Manager method of pili/*.go sets with setQuery.
//
// A model maps wire name → type: string, number, boolean, object, another model's name, or any of these with [].
const fs = require('fs');
const path = require('path');

function aliyun(dir, commit, actions) {
  const models = {};
  for (const action of actions) {
    for (const file of [`${action}Request.ts`, `${action}ResponseBody.ts`]) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/export class (\w+) extends \$dara\.Model \{([\s\S]*?)\n\}/g)) {
        const [, name, body] = m;
        const names = block(body, 'names');
        const types = block(body, 'types');
        const fields = {};
        for (const [, prop, wire] of names.matchAll(/^\s*(\w+): '([^']+)',$/gm)) {
          const t = (types.match(new RegExp(`^\\s*${prop}: (.+),$`, 'm')) || [])[1];
          fields[wire] = aliyunType(t, name, prop);
        }
        models[name] = fields;
      }
    }
  }
  return {
    source: `https://github.com/aliyun/alibabacloud-typescript-sdk/tree/${commit}/live-20161101/src/models`,
    models: sorted(models),
  };
}

function block(body, method) {
  const m = body.match(new RegExp(`static ${method}\\(\\)[^\\n]*\\{\\s*return \\{([\\s\\S]*?)\\};`));
  if (!m) throw new Error(`no static ${method}()`);
  return m[1];
}

function aliyunType(t, model, prop) {
  if (!t) throw new Error(`${model}.${prop} has no type`);
  let m;
  if ((m = t.match(/^'(\w+)'$/))) return m[1] === 'any' ? 'object' : m[1];
  if ((m = t.match(/^\{ 'type': 'array', 'itemType': '?(\w+)'? \}$/))) return `${m[1] === 'any' ? 'object' : m[1]}[]`;
  if ((m = t.match(/^\{ 'type': 'map', /))) return 'object';
  if ((m = t.match(/^(\w+)$/))) return m[1];
  throw new Error(`${model}.${prop}: unknown type ${t}`);
}

function qiniu(dir, commit) {
  const models = {};
  const fieldTypes = {};
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  for (const file of files.filter((f) => f.endsWith('_model.go'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/^type (\w+) struct \{([\s\S]*?)^\}/gm)) {
      const [, name, body] = m;
      const fields = {};
      const goTypes = {};
      for (const line of body.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'))) {
        const f = line.match(/^(\w+)(?:\s+([\w\[\]\.\*]+(?:\[\w+\]\w+)?))?(?:\s+`([^`]*)`)?$/);
        if (!f) continue;
        const [, fieldName, goType, tags] = f;
        if (!goType) {
          fields[`...${fieldName}`] = fieldName; // embedded: merged below
          continue;
        }
        goTypes[fieldName] = goType;
        const json = tags && (tags.match(/json:"([^"]*)"/) || [])[1];
        if (!json) continue;
        const wire = json.split(',')[0];
        if (wire === '-' || wire === '') continue;
        fields[wire] = goType2(goType);
      }
      models[name] = fields;
      fieldTypes[name] = goTypes;
    }
  }
  // Embedded structs: their fields are the outer struct's.
  for (const [name, fields] of Object.entries(models)) {
    for (const key of Object.keys(fields).filter((k) => k.startsWith('...'))) {
      Object.assign(fields, models[fields[key]]);
      delete fields[key];
    }
    models[name] = fields;
  }
  // Query parameters: setQuery(query, "name", req.Field) inside func (m *Manager) X(ctx, req Type).
  for (const file of files.filter((f) => !f.endsWith('_model.go'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const fn of text.matchAll(/^func \(m \*Manager\) \w+\(ctx context\.Context, req (\w+)\)[\s\S]*?^\}/gm)) {
      const request = fn[1];
      for (const [, wire, field] of fn[0].matchAll(/setQuery\(query, "(\w+)", req\.(\w+)\)/g)) {
        models[request] = models[request] || {};
        models[request][wire] = goType2(fieldTypes[request][field]);
      }
    }
  }
  return { source: `https://github.com/qiniu/go-sdk/tree/${commit}/pili`, models: sorted(models) };
}

function goType2(t) {
  if (t.startsWith('[]')) return `${goType2(t.slice(2))}[]`;
  if (t.startsWith('map[')) return 'object';
  if (t.startsWith('*')) return goType2(t.slice(1));
  if (t === 'string') return 'string';
  if (t === 'bool') return 'boolean';
  if (/^(u?int(8|16|32|64)?|byte|float(32|64))$/.test(t)) return 'number';
  return t;
}

function sorted(models) {
  return Object.fromEntries(Object.keys(models).sort().map((k) => [k, models[k]]));
}

const [kind, dir, commit, ...rest] = process.argv.slice(2);
const result = kind === 'aliyun' ? aliyun(dir, commit, rest) : kind === 'qiniu' ? qiniu(dir, commit) : null;
if (!result) {
  console.error('usage: node tools/extract-models.js aliyun|qiniu <dir> <commit> [Action...]');
  process.exit(2);
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
