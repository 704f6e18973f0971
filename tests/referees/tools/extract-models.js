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
//   node tools/extract-models.js volcengine <service/live/v20230101/model.go> <commit> <Action:GET|POST>...
//     from github.com/volcengine/volc-sdk-golang: for each action its request model ({Action}Query for a GET,
//     {Action}Body for a POST) and its answer's Result ({Action}ResResult), with the models they reach.
//   node tools/extract-models.js huawei <dir holding v1/model and v2/model> <commit> <v1|v2:Action>...
//     from github.com/huaweicloud/huaweicloud-sdk-go-v3, services/live: {Action}Request (its body model's fields
//     merged in, as they travel in the same request) and {Action}Response, with the models they reach; Huawei's
//     enum structs are strings on the wire, sdktime.SdkTime too.
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

// Every struct of Go source text: name → {wire name → Go type} (json tags; embedded structs as "...Name").
function goStructs(text) {
  const structs = {};
  for (const m of text.matchAll(/^type (\w+) struct \{([\s\S]*?)^\}/gm)) {
    const [, name, body] = m;
    const fields = {};
    let enumValue = false;
    for (const line of body.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'))) {
      const f = line.match(/^(\w+)(?:\s+([\w\[\]\.\*]+(?:\[\w+\]\w+)?))?(?:\s+`([^`]*)`)?$/);
      if (!f) continue;
      const [, fieldName, goType, tags] = f;
      if (!goType) {
        fields[`...${fieldName}`] = fieldName;
        continue;
      }
      if (fieldName === 'value' && goType === 'string' && !tags) enumValue = true;
      const json = tags && (tags.match(/json:"([^"]*)"/) || [])[1];
      if (!json) continue;
      const wire = json.split(',')[0];
      if (wire === '-' || wire === '') continue;
      fields[wire] = goType;
    }
    structs[name] = Object.keys(fields).length === 0 && enumValue ? 'enum' : fields;
  }
  return structs;
}

// A Go type in the models' words; a struct Huawei uses as an enum (one unexported value string) is a string.
function goModelType(t, structs) {
  if (t.startsWith('[]')) return `${goModelType(t.slice(2), structs)}[]`;
  if (t.startsWith('*')) return goModelType(t.slice(1), structs);
  if (t.startsWith('map[') || t === 'interface{}' || t === 'any') return 'object';
  if (t === 'sdktime.SdkTime') return 'string';
  if (structs[t] === 'enum') return 'string';
  return goType2(t);
}

// The models reachable from roots, each field's Go type turned into a model type.
function reach(structs, roots) {
  const models = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift();
    if (models[name]) continue;
    const fields = structs[name];
    if (!fields || fields === 'enum') throw new Error(`no struct ${name}`);
    const model = {};
    for (const [wire, goType] of Object.entries(fields)) {
      if (wire.startsWith('...')) {
        queue.unshift(goType);
        continue;
      }
      const type = goModelType(goType, structs);
      model[wire] = type;
      const element = type.replace(/\[\]$/, '');
      if (structs[element] && structs[element] !== 'enum') queue.push(element);
    }
    models[name] = model;
  }
  return models;
}

function volcengine(file, commit, actions) {
  const structs = goStructs(fs.readFileSync(file, 'utf8'));
  const roots = actions.flatMap((a) => {
    const [action, method] = a.split(':');
    return [`${action}${method === 'GET' ? 'Query' : 'Body'}`, `${action}ResResult`].filter((n) => structs[n]);
  });
  return { source: `https://github.com/volcengine/volc-sdk-golang/tree/${commit}/service/live/v20230101/model.go`, models: sorted(reach(structs, roots)) };
}

function huawei(dir, commit, actions) {
  const models = {};
  for (const version of ['v1', 'v2']) {
    const modelDir = path.join(dir, version, 'model');
    const structs = {};
    for (const f of fs.readdirSync(modelDir).filter((x) => x.endsWith('.go'))) {
      Object.assign(structs, goStructs(fs.readFileSync(path.join(modelDir, f), 'utf8')));
    }
    // A request's body travels with its query parameters: its fields join the request model.
    for (const [name, fields] of Object.entries(structs)) {
      if (name.endsWith('Request') && fields !== 'enum' && fields.body) {
        const body = structs[fields.body.replace(/^\*/, '')];
        delete fields.body;
        Object.assign(fields, body);
      }
    }
    const roots = actions.filter((a) => a.startsWith(`${version}:`)).flatMap((a) => [`${a.slice(3)}Request`, `${a.slice(3)}Response`]);
    for (const [name, model] of Object.entries(reach(structs, roots))) {
      if (models[name] && JSON.stringify(models[name]) !== JSON.stringify(model)) throw new Error(`${name} differs between versions`);
      models[name] = model;
    }
  }
  return { source: `https://github.com/huaweicloud/huaweicloud-sdk-go-v3/tree/${commit}/services/live`, models: sorted(models) };
}

function sorted(models) {
  return Object.fromEntries(Object.keys(models).sort().map((k) => [k, models[k]]));
}

const [kind, dir, commit, ...rest] = process.argv.slice(2);
const result = kind === 'aliyun' ? aliyun(dir, commit, rest)
  : kind === 'qiniu' ? qiniu(dir, commit)
  : kind === 'volcengine' ? volcengine(dir, commit, rest)
  : kind === 'huawei' ? huawei(dir, commit, rest)
  : null;
if (!result) {
  console.error('usage: node tools/extract-models.js aliyun|qiniu|volcengine|huawei <dir> <commit> [Action...]');
  process.exit(2);
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
