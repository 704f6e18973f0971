'use strict';
// Aliyun ApsaraVideo Live through the official SDKs, aimed at the loopback emulator:
//   client "pop-get" / "pop-post": @alicloud/pop-core RPCClient, RPC signature 1.0 (HMAC-SHA1); GET carries every
//     parameter in the query, POST in a form body.
//   client "acs3": @alicloud/openapi-client callApi, ACS3-HMAC-SHA256, parameters in the query of a POST (the shape
//     of the generated live-20161101 client).
//   client "rpc-v2": the same client with signatureAlgorithm 'v2' (RPC signature 1.0 in the query).
// Input: {port, now, accessKeyId, accessKeySecret, steps: [{name, client, action, params, accessKeySecret?,
// securityToken?, skewSeconds?}]}. Output: {hosts, results: [{name, ok, statusCode?, body} | {name, ok: false, code,
// statusCode?, requestId, message}]}.
const { input, agent, runSteps, finish } = require('./lib/harness');
const RPCClient = require('@alicloud/pop-core').RPCClient;
const OpenApi = require('@alicloud/openapi-client');
const OpenApiUtil = require('@alicloud/openapi-util').default;
const Util = require('@alicloud/tea-util');

const Host = 'live.aliyuncs.com';
const Version = '2016-11-01';

function credentials(step) {
  return {
    accessKeyId: step.accessKeyId || input.accessKeyId,
    accessKeySecret: step.accessKeySecret || input.accessKeySecret,
    securityToken: step.securityToken,
  };
}

async function popCore(step, method) {
  const client = new RPCClient(Object.assign({ endpoint: `http://${Host}`, apiVersion: Version }, credentials(step)));
  try {
    const body = await client.request(step.action, step.params || {}, { method, agent, formatParams: false, timeout: 20000 });
    return { ok: true, body };
  } catch (e) {
    return { ok: false, code: e.code, requestId: e.data && e.data.RequestId, message: e.message, data: e.data };
  }
}

async function openApi(step, signatureAlgorithm) {
  const c = credentials(step);
  const config = new OpenApi.Config({
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
    endpoint: Host,
    protocol: 'http',
    signatureAlgorithm,
    readTimeout: 20000,
    connectTimeout: 20000,
  });
  const client = new OpenApi.default(config);
  const params = new OpenApi.Params({
    action: step.action,
    version: Version,
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new OpenApi.OpenApiRequest({ query: OpenApiUtil.query(step.params || {}) });
  try {
    const response = await client.callApi(params, request, new Util.RuntimeOptions({}));
    return { ok: true, statusCode: response.statusCode, body: response.body };
  } catch (e) {
    return { ok: false, code: e.code, statusCode: e.data && e.data.statusCode, requestId: e.data && e.data.RequestId, message: e.message, data: e.data };
  }
}

async function main() {
  const results = await runSteps(input.steps, (step) => {
    switch (step.client) {
      case 'pop-get': return popCore(step, 'GET');
      case 'pop-post': return popCore(step, 'POST');
      case 'acs3': return openApi(step, undefined);
      case 'rpc-v2': return openApi(step, 'v2');
      default: throw new Error(`unknown client ${step.client}`);
    }
  });
  finish({ results });
}

main();
