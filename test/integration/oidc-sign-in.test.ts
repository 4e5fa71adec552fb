import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerOidcSignIn, type OidcIdentity } from '../../client/api/oidc-sign-in';
import { OIDC_CALLBACK_PATH, type OidcSettings } from '../../schemas/config';
import { browserRequest, CookieJar, signInAtProvider, startOidcProvider, type TestAccount, type TestOidcProvider } from '../support/oidc';

/** A real oidc-provider on loopback, and a Fastify app with only the sign-in routes (the API wires them in itself). */

const ACCOUNTS: Record<string, TestAccount> = {
  kari: { password: 'kari-passord', claims: { name: 'Kari Ringjar', roles: ['caseworker', 'operator'], ot_units: ['12250', '12251'] } },
  // Roles and units as one string each, as some providers send groups.
  siri: { password: 'siri-passord', claims: { name: 'Siri Kontor', roles: 'office-staff', ot_units: '12250, 12260' } },
};
const KARI = { login: 'kari', password: 'kari-passord' };
const COOKIE_SECRET = 'a-cookie-secret-for-these-tests-only';
const STATE_COOKIE = 'ot_oidc_signin';

interface SignInApp {
  base: URL;
  redirectUrl: string;
  signIns: { identity: OidcIdentity; returnTo: string }[];
  close(): Promise<void>;
}

/** Listens first (the provider must know the callback URL before the app knows the issuer), then builds the app on that server. */
async function listening(): Promise<{ server: Server; base: URL }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
}

async function startApp(server: Server, base: URL, settings: OidcSettings): Promise<SignInApp> {
  const signIns: SignInApp['signIns'] = [];
  const app: FastifyInstance = Fastify({
    logger: false,
    serverFactory: (handler) => server.on('request', handler),
  });
  await app.register(fastifyCookie, { secret: COOKIE_SECRET });
  registerOidcSignIn(app, {
    settings,
    async signedIn(_req, reply, identity, returnTo) {
      signIns.push({ identity, returnTo });
      reply.setCookie('ot_session', `session-of-${identity.subject}`, { path: '/', httpOnly: true, sameSite: 'lax' });
      await reply.redirect(returnTo);
    },
  });
  await app.ready();
  return {
    base,
    redirectUrl: settings.redirectUrl,
    signIns,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function settingsFor(issuer: string, redirectUrl: string, provider?: TestOidcProvider): OidcSettings {
  return {
    issuer,
    clientId: provider?.clientId ?? 'ot-api-test',
    clientSecret: provider?.clientSecret ?? 'a-client-secret-for-tests-only',
    redirectUrl,
    rolesClaim: 'roles',
    unitsClaim: 'ot_units',
    scopes: ['openid', 'profile'],
  };
}

async function startBoth(claimsInIdToken: boolean): Promise<{ provider: TestOidcProvider; app: SignInApp }> {
  const { server, base } = await listening();
  const redirectUrl = new URL(OIDC_CALLBACK_PATH, base).href;
  const provider = await startOidcProvider({ redirectUris: [redirectUrl], accounts: ACCOUNTS, claimsInIdToken });
  const app = await startApp(server, base, settingsFor(provider.issuer, redirectUrl, provider));
  return { provider, app };
}

/** A refusal is one line of JSON with the reason: never a stack trace. */
async function refusal(res: Response): Promise<string> {
  const body = (await res.json()) as { error: string };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).not.toMatch(/\n|\s+at\s+\S+\s+\(/);
  return body.error;
}

describe('OpenID Connect sign-in against a real provider, claims from userinfo', () => {
  let provider: TestOidcProvider;
  let app: SignInApp;
  beforeAll(async () => ({ provider, app } = await startBoth(false)));
  afterAll(async () => {
    await app?.close();
    await provider?.stop();
  });

  const loginUrl = (returnTo?: string) => new URL(`/auth/oidc/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`, app.base);

  it('sends the browser to the provider with PKCE S256, state and nonce, keeping them in a signed HttpOnly SameSite=Lax cookie', async () => {
    const jar = new CookieJar();
    const res = await browserRequest(jar, loginUrl('/cases'));
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: app.redirectUrl,
      response_type: 'code',
      scope: 'openid profile',
      code_challenge_method: 'S256',
    });
    for (const p of ['code_challenge', 'state', 'nonce']) expect(to.searchParams.get(p)).toMatch(/^[\w-]{43}$/);
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^${STATE_COOKIE}=`));
    expect(cookie).toMatch(/; Max-Age=600/);
    expect(cookie).toMatch(/; Path=\/auth\/oidc\/callback/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    // The verifier never leaves in the URL: only its challenge does.
    expect(decodeURIComponent(cookie)).not.toContain(to.searchParams.get('code_challenge'));
  });

  it('signs Kari in: subject, issuer, name, roles and units reach signedIn, which answers', async () => {
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, loginUrl('/cases?unit=12250'), KARI);
    const res = await browserRequest(jar, callback);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/cases?unit=12250');
    expect(app.signIns.at(-1)).toEqual({
      identity: { subject: 'kari', issuer: provider.issuer, name: 'Kari Ringjar', roles: ['caseworker', 'operator'], units: ['12250', '12251'] },
      returnTo: '/cases?unit=12250',
    });
    expect(jar.get('ot_session')?.value).toBe('session-of-kari');
    // The sign-in's own cookie is gone: it served once.
    expect(jar.get(STATE_COOKIE)).toBeUndefined();
  });

  it('reads roles and units given as one string separated by spaces or commas', async () => {
    const jar = new CookieJar();
    const res = await browserRequest(jar, await signInAtProvider(jar, loginUrl(), { login: 'siri', password: 'siri-passord' }));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(app.signIns.at(-1)!.identity).toMatchObject({ subject: 'siri', name: 'Siri Kontor', roles: ['office-staff'], units: ['12250', '12260'] });
  });

  it('refuses an answer whose state is not the one this browser started, and signs nobody in', async () => {
    const before = app.signIns.length;
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, loginUrl(), KARI);
    callback.searchParams.set('state', 'a-state-from-someone-elses-sign-in');
    const res = await browserRequest(jar, callback);
    expect(res.status).toBe(400);
    expect(await refusal(res)).toMatch(/does not belong to the sign-in this browser started; start again at \/auth\/oidc\/login/);
    expect(app.signIns).toHaveLength(before);
  });

  it('refuses a code used once already (a replayed callback, its cookie kept)', async () => {
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, loginUrl(), KARI);
    const stateCookie = jar.get(STATE_COOKIE)!;
    expect((await browserRequest(jar, callback)).status).toBe(302);
    const before = app.signIns.length;
    jar.set(stateCookie);
    const replay = await browserRequest(jar, callback);
    expect(replay.status).toBe(401);
    expect(await refusal(replay)).toMatch(/the identity provider refused the code: invalid_grant/);
    expect(app.signIns).toHaveLength(before);
  });

  it('refuses a callback without the sign-in cookie, with a forged one, or with one past its ten minutes', async () => {
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, loginUrl(), KARI);
    const stateCookie = jar.get(STATE_COOKIE)!;
    const before = app.signIns.length;

    const noCookie = await browserRequest(new CookieJar(), callback);
    expect(noCookie.status).toBe(400);
    expect(await refusal(noCookie)).toMatch(/no sign-in in progress in this browser \(its cookie is missing or expired\)/);

    // The same content with another signature, and a properly signed one started eleven minutes ago.
    const [payload] = decodeURIComponent(stateCookie.value).split('.');
    const forged = new CookieJar();
    forged.set({ ...stateCookie, value: encodeURIComponent(`${payload}.${'A'.repeat(43)}`) });
    expect((await browserRequest(forged, callback)).status).toBe(400);

    const pending = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const old = Buffer.from(JSON.stringify({ ...pending, startedAt: Date.now() - 11 * 60 * 1000 })).toString('base64url');
    const expired = new CookieJar();
    expired.set({ ...stateCookie, value: encodeURIComponent(fastifyCookie.sign(old, COOKIE_SECRET)) });
    const late = await browserRequest(expired, callback);
    expect(late.status).toBe(400);
    expect(await refusal(late)).toMatch(/missing or expired/);

    expect(app.signIns).toHaveLength(before);
    // The untouched cookie still works: the refusals above were for the cookie, not the code.
    jar.set(stateCookie);
    expect((await browserRequest(jar, callback)).status).toBe(302);
  });

  it("passes on the provider's refusal when the user cancels there", async () => {
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, loginUrl(), { ...KARI, abort: true });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const res = await browserRequest(jar, callback);
    expect(res.status).toBe(401);
    expect(await refusal(res)).toBe('the identity provider refused the sign-in: access_denied (the user cancelled the sign-in)');
  });

  it('refuses a returnTo that leaves the site', async () => {
    for (const returnTo of ['//evil.example/cases', 'https://evil.example/', '/\\evil.example', 'cases']) {
      const res = await browserRequest(new CookieJar(), loginUrl(returnTo));
      expect(res.status).toBe(400);
      expect(await refusal(res)).toBe('returnTo must be a path on this site, such as /cases');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });
});

describe('OpenID Connect sign-in against a real provider, claims in the ID token', () => {
  it('signs Kari in from the ID token alone', async () => {
    const { provider, app } = await startBoth(true);
    try {
      const jar = new CookieJar();
      const res = await browserRequest(jar, await signInAtProvider(jar, new URL('/auth/oidc/login', app.base), KARI));
      expect(res.status).toBe(302);
      expect(app.signIns).toEqual([
        {
          identity: { subject: 'kari', issuer: provider.issuer, name: 'Kari Ringjar', roles: ['caseworker', 'operator'], units: ['12250', '12251'] },
          returnTo: '/',
        },
      ]);
    } finally {
      await app.close();
      await provider.stop();
    }
  });
});

describe('OpenID Connect discovery', () => {
  it('answers 502 while the provider is away, and discovers it once it is up', async () => {
    // An issuer on a port where nothing listens yet: the port of a server just closed.
    const probe = await listening();
    const issuerPort = Number(probe.base.port);
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    const { server, base } = await listening();
    const redirectUrl = new URL(OIDC_CALLBACK_PATH, base).href;
    const app = await startApp(server, base, settingsFor(`http://127.0.0.1:${issuerPort}`, redirectUrl));
    let provider: TestOidcProvider | undefined;
    try {
      const away = await browserRequest(new CookieJar(), new URL('/auth/oidc/login', base));
      expect(away.status).toBe(502);
      expect(await refusal(away)).toMatch(
        /the identity provider's discovery at http:\/\/127\.0\.0\.1:\d+\/ failed: the identity provider cannot be reached/,
      );

      provider = await startOidcProvider({ redirectUris: [redirectUrl], accounts: ACCOUNTS, port: issuerPort });
      const jar = new CookieJar();
      const res = await browserRequest(jar, await signInAtProvider(jar, new URL('/auth/oidc/login', base), KARI));
      expect(res.status).toBe(302);
      expect(app.signIns.map((s) => s.identity.subject)).toEqual(['kari']);
    } finally {
      await app.close();
      await provider?.stop();
    }
  });
});

describe('the signed cookie the sign-in needs', () => {
  const settings = settingsFor('http://127.0.0.1:9', 'http://127.0.0.1:8080/auth/oidc/callback');
  const signedIn = async () => undefined;

  it('refuses to start without @fastify/cookie and without a secret of its own, or with the plugin but no secret', async () => {
    const bare = Fastify({ logger: false });
    registerOidcSignIn(bare, { settings, signedIn });
    await expect(bare.ready()).rejects.toThrow('registerOidcSignIn: register @fastify/cookie with a secret first, or pass cookieSecret');
    const unsigned = Fastify({ logger: false });
    await unsigned.register(fastifyCookie);
    registerOidcSignIn(unsigned, { settings, signedIn });
    await expect(unsigned.ready()).rejects.toThrow(/registered without a secret/);
  });

  it('registers the cookie plugin for its own routes when given a secret, leaving the app without it', async () => {
    const app = Fastify({ logger: false });
    registerOidcSignIn(app, { settings, signedIn, cookieSecret: COOKIE_SECRET });
    app.get('/other', async (_req, reply) => ({ setCookie: typeof (reply as { setCookie?: unknown }).setCookie }));
    await app.ready();
    expect((await app.inject('/auth/oidc/login?returnTo=//evil.example')).statusCode).toBe(400);
    expect((await app.inject('/other')).json()).toEqual({ setCookie: 'undefined' });
    await app.close();
  });
});
