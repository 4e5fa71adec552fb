import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
// openid-client is an ES module only: tsc (module commonjs) turns this into require(), which Node >= 20.19 runs
// (require of ESM); jest compiles the package to CommonJS instead (jest.config.js).
import * as oidc from 'openid-client';
import { isLoopbackHttp, OIDC_CALLBACK_PATH, OIDC_LOGIN_PATH, type OidcSettings } from '../../schemas/config';

/** Who signed in, as the identity provider vouches for them. */
export interface OidcIdentity {
  /** The provider's stable id of the user (`sub`), unique per issuer. */
  subject: string;
  issuer: string;
  name: string;
  /** From the configured roles claim and units claim, as the provider gives them (not yet checked against our roles or units). */
  roles: string[];
  units: string[];
}

export interface OidcSignInOptions {
  settings: OidcSettings;
  /**
   * Called once the provider has vouched for the user: starts the session and answers (e.g. sets the session
   * cookie and redirects to `returnTo`). If it sends nothing, the browser is redirected to `returnTo`.
   */
  signedIn(req: FastifyRequest, reply: FastifyReply, identity: OidcIdentity, returnTo: string): Promise<void>;
  /**
   * The sign-in keeps its state in a signed cookie, so it needs @fastify/cookie with a secret. Register the plugin
   * on the app with a secret before this (as the session does), or give the secret here and it is registered for
   * these routes alone.
   */
  cookieSecret?: string | string[];
}

/** The state of one sign-in between the redirect to the provider and its answer. */
interface PendingSignIn {
  codeVerifier: string;
  state: string;
  nonce: string;
  returnTo: string;
  /** Milliseconds since the epoch: the cookie's age is checked here too, since a browser may keep it past its Max-Age. */
  startedAt: number;
}

const STATE_COOKIE = 'ot_oidc_signin';
/** Long enough to type a password and pass a second factor; a sign-in left longer starts again. */
const STATE_TTL_SECONDS = 600;

/** A sign-in that cannot go on, with the one-line reason the browser gets. */
class SignInRefused extends Error {
  constructor(
    readonly status: 400 | 401 | 502,
    message: string,
  ) {
    super(message);
  }
}

const START_AGAIN = `start again at ${OIDC_LOGIN_PATH}`;

/**
 * `returnTo` is where the browser goes after signing in: a path on this site only, never another host
 * (`//evil.example`, `/\evil.example`), so the login link cannot be used to send users elsewhere.
 */
export function sameSitePath(value: unknown): string {
  if (value === undefined || value === '') return '/';
  const refused = new SignInRefused(400, 'returnTo must be a path on this site, such as /cases');
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) throw refused;
  // Browsers drop tabs and newlines from URLs, so `/\t/evil.example` would become `//evil.example`.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw refused;
  const base = 'http://same.site';
  const url = new URL(value, base);
  if (url.origin !== base) throw refused;
  return url.pathname + url.search + url.hash;
}

/** A claim as a list: an array, or one string of names separated by spaces or commas (as some providers send groups). */
export function claimList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const names = items.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim());
  return [...new Set(names.filter(Boolean))];
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 200);

function encodePending(p: PendingSignIn): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodePending(raw: string): PendingSignIn | undefined {
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const strings = ['codeVerifier', 'state', 'nonce', 'returnTo'] as const;
    if (strings.every((k) => typeof p?.[k] === 'string') && typeof p.startedAt === 'number') return p as PendingSignIn;
  } catch {
    // Not ours: treated as no sign-in in progress.
  }
  return undefined;
}

/** Why the provider's side of a sign-in failed, as the browser should hear it; undefined for our own faults (a 500). */
function providerRefusal(err: unknown): SignInRefused | undefined {
  if (err instanceof SignInRefused) return err;
  if (unreachable(err)) return new SignInRefused(502, 'the identity provider cannot be reached; try again');
  if (err instanceof oidc.AuthorizationResponseError) {
    const description = err.error_description ? ` (${oneLine(err.error_description)})` : '';
    return new SignInRefused(401, `the identity provider refused the sign-in: ${err.error}${description}`);
  }
  if (err instanceof oidc.ResponseBodyError) {
    const hint = err.error === 'invalid_grant' ? ': the code was used already or has expired' : '';
    return new SignInRefused(401, `the identity provider refused the code: ${err.error}${hint}; ${START_AGAIN}`);
  }
  if (err instanceof oidc.WWWAuthenticateChallengeError) return new SignInRefused(401, 'the identity provider refused the access token for userinfo');
  if (err instanceof oidc.ClientError) {
    if (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err.code === 'OAUTH_RESPONSE_IS_NOT_JSON')
      return new SignInRefused(502, `the identity provider answered unexpectedly: ${oneLine(err.message)}`);
    return new SignInRefused(401, `the identity provider's answer failed a check: ${oneLine(err.message)}`);
  }
  return undefined;
}

/** fetch's own failures (refused, reset, timed out), which openid-client may pass on wrapped in one of its errors. */
function unreachable(err: unknown): boolean {
  for (let e = err as Error | undefined, depth = 0; e && depth < 5; e = e.cause as Error | undefined, depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || (e.name === 'TypeError' && e.message === 'fetch failed')) return true;
  }
  return false;
}

/**
 * OpenID Connect sign-in (authorization code flow with PKCE S256, state and nonce):
 * `GET /auth/oidc/login[?returnTo=/path]` sends the browser to the provider, `GET /auth/oidc/callback` takes its
 * answer, exchanges the code and hands the identity to `signedIn`. Between the two, the sign-in's secrets live in a
 * short-lived signed HttpOnly SameSite=Lax cookie scoped to the callback, so the API keeps no state of its own.
 */
export function registerOidcSignIn(app: FastifyInstance, opts: OidcSignInOptions): void {
  const { settings } = opts;
  const issuer = new URL(settings.issuer);
  const redirectUrl = new URL(settings.redirectUrl);
  // The cookie goes only to the callback, under whatever prefix a reverse proxy puts before our paths.
  const cookie = {
    path: redirectUrl.pathname,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: redirectUrl.protocol === 'https:',
  };

  // Discovery once, when the first sign-in needs it, so the API starts while the provider is away; a failure is
  // not kept, so the next sign-in tries again.
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (discovered ??= oidc
      .discovery(issuer, settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        execute: isLoopbackHttp(issuer) ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((err: unknown) => {
        discovered = undefined;
        const reason = providerRefusal(err)?.message ?? oneLine((err as Error).message);
        throw new SignInRefused(502, `the identity provider's discovery at ${issuer.href} failed: ${reason}`);
      }));

  const refuse = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    const refusal = providerRefusal(err);
    if (!refusal) throw err;
    req.log.warn({ status: refusal.status, reason: refusal.message }, 'oidc sign-in refused');
    return reply.code(refusal.status).header('cache-control', 'no-store').send({ error: refusal.message });
  };

  app.register(async (scope) => {
    if (!scope.hasReplyDecorator('setCookie')) {
      if (!opts.cookieSecret) throw new Error('registerOidcSignIn: register @fastify/cookie with a secret first, or pass cookieSecret');
      await scope.register(fastifyCookie, { secret: opts.cookieSecret });
    } else if (!scope.hasRequestDecorator('unsignCookie')) {
      throw new Error('registerOidcSignIn: @fastify/cookie is registered without a secret; the sign-in cookie must be signed');
    }

    scope.get(OIDC_LOGIN_PATH, async (req, reply) => {
      try {
        const returnTo = sameSitePath((req.query as { returnTo?: unknown }).returnTo);
        const config = await configuration();
        const pending: PendingSignIn = {
          codeVerifier: oidc.randomPKCECodeVerifier(),
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
          returnTo,
          startedAt: Date.now(),
        };
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUrl.href,
          response_type: 'code',
          scope: settings.scopes.join(' '),
          code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
          code_challenge_method: 'S256',
          state: pending.state,
          nonce: pending.nonce,
        });
        reply.setCookie(STATE_COOKIE, encodePending(pending), { ...cookie, signed: true, maxAge: STATE_TTL_SECONDS });
        return reply.header('cache-control', 'no-store').redirect(url.href);
      } catch (err) {
        return refuse(req, reply, err);
      }
    });

    scope.get(OIDC_CALLBACK_PATH, async (req, reply) => {
      let identity: OidcIdentity;
      let returnTo: string;
      try {
        const raw = req.cookies[STATE_COOKIE];
        const unsigned = raw ? req.unsignCookie(raw) : undefined;
        const pending = unsigned?.valid && unsigned.value ? decodePending(unsigned.value) : undefined;
        if (!pending || Date.now() - pending.startedAt > STATE_TTL_SECONDS * 1000)
          throw new SignInRefused(400, `no sign-in in progress in this browser (its cookie is missing or expired); ${START_AGAIN}`);
        // One use: whatever happens next, this sign-in cannot be answered twice.
        reply.clearCookie(STATE_COOKIE, cookie);
        const query = req.query as Record<string, unknown>;
        if (query.state !== pending.state)
          throw new SignInRefused(400, `the answer does not belong to the sign-in this browser started; ${START_AGAIN}`);
        const config = await configuration();
        // The URL as the provider sent the browser to it: openid-client takes the redirect_uri from it, which must
        // be the registered one exactly (not the host or path a proxy handed on to us).
        const current = new URL(redirectUrl.href);
        current.search = new URL(req.url, 'http://same.site').search;
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        let claims: Record<string, unknown> = idToken;
        // Providers differ in where they put claims: many keep the ID token small and give the rest from userinfo.
        const wanted = ['name', settings.rolesClaim, settings.unitsClaim];
        if (wanted.some((c) => idToken[c] === undefined) && config.serverMetadata().userinfo_endpoint) {
          const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
          claims = { ...userinfo, ...idToken };
        }
        const name = [claims.name, claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string' && v.trim() !== '');
        identity = {
          subject: idToken.sub,
          issuer: idToken.iss,
          name: name?.trim() ?? idToken.sub,
          roles: claimList(claims[settings.rolesClaim]),
          units: claimList(claims[settings.unitsClaim]),
        };
        returnTo = pending.returnTo;
      } catch (err) {
        return refuse(req, reply, err);
      }
      reply.header('cache-control', 'no-store');
      await opts.signedIn(req, reply, identity, returnTo);
      return reply.sent ? reply : reply.redirect(returnTo);
    });
  });
}
