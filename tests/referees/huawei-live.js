'use strict';
// Huawei Cloud Live through the official @huaweicloud/huaweicloud-sdk-core: its ClientBuilder, BasicCredentials
// (project id into the path and X-Project-Id), AK/SK signer and axios transport, aimed at the loopback emulator. The
// core package has no Live code: each step is the request options Huawei's generated LiveClient builds (method, url
// with {project_id}, content type, query, body). Input: {port, now, ak, sk, projectId, steps: [{name, method, url,
// query?, body?, ak?, sk?, securityToken?, skewSeconds?}]}. Output: {hosts, results: [{name, ok, status, body} |
// {name, ok: false, status, code, message, requestId}]}. The endpoint keeps the production host; the SDK signs it
// without a port. The harness points HOME, where the SDK writes, at a temporary folder.
const { input, runSteps, finish } = require('./lib/harness');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');

const Endpoint = 'http://live.cn-north-4.myhuaweicloud.com';

async function main() {
  const results = await runSteps(input.steps, async (step) => {
    const credentials = new BasicCredentials()
      .withAk(step.ak || input.ak)
      .withSk(step.sk || input.sk)
      .withProjectId(input.projectId);
    if (step.securityToken) credentials.withSecurityToken(step.securityToken);
    const client = new ClientBuilder((hc) => hc).withCredential(credentials).withEndpoint(Endpoint).build();
    const hasBody = step.method === 'POST' || step.method === 'PUT';
    const options = {
      method: step.method,
      url: step.url,
      // As the generated LiveClient: JSON with a charset for a body, plain JSON otherwise (the core sends application/json).
      contentType: hasBody ? 'application/json; charset=UTF-8' : 'application/json',
      queryParams: step.query || {},
      pathParams: {},
      headers: {},
    };
    if (hasBody) options.data = step.body || {};
    try {
      const response = await client.sendRequest(options);
      const status = response.httpStatusCode;
      delete response.httpStatusCode;
      return { ok: true, status, body: response };
    } catch (e) {
      return { ok: false, status: e.httpStatusCode, code: e.errorCode, message: e.errorMsg, requestId: e.requestId };
    }
  });
  finish({ results });
}

main();
