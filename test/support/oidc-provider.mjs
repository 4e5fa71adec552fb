// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for tests and for trying the sign-in by hand. It is an
// ES module only, like the provider, so tests start it as a child process (test/support/oidc.ts) and jest never
// loads it. The first line on stdout is the issuer URL; everything else goes to stderr.
//
//   node test/support/oidc-provider.mjs --client-id ot-api --client-secret S --redirect-uri http://127.0.0.1:8080/auth/oidc/callback
//
// Options (or the environment variable beside each): --client-id (OIDC_TEST_CLIENT_ID), --client-secret
// (OIDC_TEST_CLIENT_SECRET), --redirect-uri, repeatable (OIDC_TEST_REDIRECT_URIS, space separated), --port
// (OIDC_TEST_PORT, default a free one). OIDC_TEST_ACCOUNTS: a JSON object { login: { password, claims } } in place
// of the accounts below. OIDC_TEST_CLAIMS_IN_ID_TOKEN=1 puts the profile claims into the ID token too; by default
// they come from userinfo only, as oidc-provider does when an access token is issued beside the ID token.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const DEFAULT_ACCOUNTS = {
  kari: { password: 'kari-passord', claims: { name: 'Kari Ringjar', roles: ['caseworker'], ot_units: ['12250', '12251'] } },
  siri: { password: 'siri-passord', claims: { name: 'Siri Kontor', roles: 'office-staff operator', ot_units: '12250,12260' } },
};

const { values } = parseArgs({
  options: {
    'client-id': { type: 'string', default: process.env.OIDC_TEST_CLIENT_ID },
    'client-secret': { type: 'string', default: process.env.OIDC_TEST_CLIENT_SECRET },
    'redirect-uri': { type: 'string', multiple: true, default: (process.env.OIDC_TEST_REDIRECT_URIS ?? '').split(/\s+/).filter(Boolean) },
    port: { type: 'string', default: process.env.OIDC_TEST_PORT ?? '0' },
  },
});
const clientId = values['client-id'];
const clientSecret = values['client-secret'];
const redirectUris = values['redirect-uri'];
if (!clientId || !clientSecret || redirectUris.length === 0) {
  process.stderr.write('oidc-provider.mjs needs --client-id, --client-secret and at least one --redirect-uri\n');
  process.exit(2);
}
const accounts = process.env.OIDC_TEST_ACCOUNTS ? JSON.parse(process.env.OIDC_TEST_ACCOUNTS) : DEFAULT_ACCOUNTS;

const html = (title, body) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, problem) {
  return html(
    'Sign in',
    `${problem ? `<p class="problem">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <input type="hidden" name="prompt" value="login">
  <input name="login" autocomplete="username"> <input name="password" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form>
<a href="/interaction/${uid}/abort">Cancel</a>`,
  );
}

function consentPage(uid, clientId) {
  return html(
    'Allow access',
    `<p>${escape(clientId)} asks to know who you are.</p>
<form method="post" action="/interaction/${uid}/consent">
  <input type="hidden" name="prompt" value="consent">
  <button type="submit">Allow</button>
</form>
<a href="/interaction/${uid}/abort">Cancel</a>`,
  );
}

async function formBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const server = createServer();
await new Promise((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'roles', 'ot_units'] },
  conformIdTokenClaims: process.env.OIDC_TEST_CLAIMS_IN_ID_TOKEN !== '1',
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  // Errors go to the browser as oidc-provider renders them; stack traces only to stderr.
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = html('Error', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
});
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider server_error: ${err.stack}\n`));

const providerCallback = provider.callback();

/** Our own interaction pages: a login form that checks the test accounts' passwords, then consent. */
async function interaction(req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction does not match its cookie');
  const { prompt, params, session, grantId } = details;
  const page = (status, body) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  if (step === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );
  }
  if (req.method === 'GET') return page(200, prompt.name === 'login' ? loginPage(uid) : consentPage(uid, params.client_id));
  const form = await formBody(req);
  if (step === 'login' && prompt.name === 'login') {
    const login = form.get('login') ?? '';
    if (!accounts[login] || accounts[login].password !== form.get('password')) return page(401, loginPage(uid, 'wrong user name or password'));
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (step === 'consent' && prompt.name === 'consent') {
    const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }
  return page(400, html('Error', `<p>this page expects the ${escape(prompt.name)} step</p>`));
}

server.on('request', (req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return providerCallback(req, res);
  interaction(req, res, match[1], match[2]).catch((err) => {
    process.stderr.write(`interaction failed: ${err.stack}\n`);
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${err.message}\n`);
  });
});

process.stdout.write(`${issuer}\n`);
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
