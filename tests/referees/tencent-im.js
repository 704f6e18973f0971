'use strict';
// Tencent Cloud IM's REST API with UserSigs made by the official tls-sig-api-v2 package, aimed at the loopback
// emulator (the REST calls are plain HTTPS POSTs; the UserSig is the only signed part). Input: {port, now, sdkAppId,
// secretKey, admin, steps: [{name, command, body, identifier?, userSig?: "expired" | "wrong-key" | "other-user",
// skewSeconds?}]}. Output: {hosts, results: [{name, ok, status, body}]} (ok: ActionStatus OK).
const http = require('http');
const { input, agent, runSteps, finish } = require('./lib/harness');
const TLSSigAPIv2 = require('tls-sig-api-v2');

function userSig(step, identifier) {
  switch (step.userSig) {
    case 'expired': {
      // Issued two days ago for one day.
      const now = Date.now;
      Date.now = () => now() - 2 * 86400 * 1000;
      try {
        return new TLSSigAPIv2.Api(input.sdkAppId, input.secretKey).genUserSig(identifier, 86400);
      } finally {
        Date.now = now;
      }
    }
    case 'wrong-key': return new TLSSigAPIv2.Api(input.sdkAppId, input.secretKey + '0').genUserSig(identifier, 86400);
    case 'other-user': return new TLSSigAPIv2.Api(input.sdkAppId, input.secretKey).genUserSig(identifier + 'x', 86400);
    default: return new TLSSigAPIv2.Api(input.sdkAppId, input.secretKey).genUserSig(identifier, 86400);
  }
}

function post(path, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body), 'utf8');
    const request = http.request({
      host: 'console.tim.qq.com',
      path,
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': data.length },
    }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(data);
  });
}

async function main() {
  const results = await runSteps(input.steps, async (step) => {
    const identifier = step.identifier || input.admin;
    const random = Math.floor(Math.random() * 0xFFFFFFFF);
    const query = `sdkappid=${input.sdkAppId}&identifier=${encodeURIComponent(identifier)}&usersig=${encodeURIComponent(userSig(step, identifier))}&random=${random}&contenttype=json`;
    const response = await post(`/v4/group_open_http_svc/${step.command}?${query}`, step.body || {});
    const body = JSON.parse(response.text);
    return { ok: body.ActionStatus === 'OK', status: response.status, body };
  });
  finish({ results });
}

main();
