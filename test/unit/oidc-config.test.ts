import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claimList, sameSitePath } from '../../client/api/oidc-sign-in';
import { ConfigError, loadConfig } from '../../runtime/config';

describe('OpenID Connect configuration (OT_OIDC_*)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ot-oidc-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const FOUR = {
    OT_OIDC_ISSUER: 'https://login.example/realms/ot',
    OT_OIDC_CLIENT_ID: 'ot-api',
    OT_OIDC_CLIENT_SECRET: 'a-client-secret',
    OT_OIDC_REDIRECT_URL: 'https://ot.example/auth/oidc/callback',
  };
  const load = (env: Record<string, string>) => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: 'a-case-id-key-of-enough-length', ...env });

  it('is off without any OT_OIDC_* variable', () => {
    expect(load({}).oidc).toBeUndefined();
    expect(load({ OT_OIDC_ISSUER: '' }).oidc).toBeUndefined();
  });

  it('takes the four required variables, with defaults for the claims and scopes', () => {
    expect(load(FOUR).oidc).toEqual({
      issuer: 'https://login.example/realms/ot',
      clientId: 'ot-api',
      clientSecret: 'a-client-secret',
      redirectUrl: 'https://ot.example/auth/oidc/callback',
      rolesClaim: 'roles',
      unitsClaim: 'ot_units',
      scopes: ['openid', 'profile'],
    });
    expect(
      load({ ...FOUR, OT_OIDC_ROLES_CLAIM: 'groups', OT_OIDC_UNITS_CLAIM: 'ot/units', OT_OIDC_SCOPES: ' openid  profile email ' }).oidc,
    ).toMatchObject({ rolesClaim: 'groups', unitsClaim: 'ot/units', scopes: ['openid', 'profile', 'email'] });
  });

  it('refuses a partial set, naming what is missing', () => {
    for (const name of Object.keys(FOUR)) {
      const env: Record<string, string> = { ...FOUR };
      delete env[name];
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(new RegExp(`: ${name} missing; set all four or none`));
    }
    expect(() => load({ OT_OIDC_ISSUER: FOUR.OT_OIDC_ISSUER })).toThrow(
      'OpenID Connect sign-in is half configured (OT_OIDC_ISSUER set): OT_OIDC_CLIENT_ID, OT_OIDC_CLIENT_SECRET, OT_OIDC_REDIRECT_URL missing; set all four or none',
    );
    // An optional one alone is a partial set too: someone meant to switch the sign-in on.
    expect(() => load({ OT_OIDC_ROLES_CLAIM: 'groups' })).toThrow(
      /OT_OIDC_ISSUER, OT_OIDC_CLIENT_ID, OT_OIDC_CLIENT_SECRET, OT_OIDC_REDIRECT_URL missing/,
    );
  });

  it('refuses URLs that are not https, except to this machine', () => {
    expect(() => load({ ...FOUR, OT_OIDC_ISSUER: 'login.example' })).toThrow(
      /OT_OIDC_ISSUER must be the identity provider's issuer, an absolute URL/,
    );
    expect(() => load({ ...FOUR, OT_OIDC_ISSUER: 'http://login.example' })).toThrow(/OT_OIDC_ISSUER must be an https URL/);
    expect(() => load({ ...FOUR, OT_OIDC_REDIRECT_URL: 'http://ot.example/auth/oidc/callback' })).toThrow(
      /OT_OIDC_REDIRECT_URL must be an https URL/,
    );
    const local = load({ ...FOUR, OT_OIDC_ISSUER: 'http://127.0.0.1:4000', OT_OIDC_REDIRECT_URL: 'http://localhost:8080/auth/oidc/callback' }).oidc;
    expect(local).toMatchObject({ issuer: 'http://127.0.0.1:4000', redirectUrl: 'http://localhost:8080/auth/oidc/callback' });
  });

  it("refuses a redirect URL that is not the API's callback route, and scopes or claims that cannot work", () => {
    expect(() => load({ ...FOUR, OT_OIDC_REDIRECT_URL: 'https://ot.example/callback' })).toThrow(
      /must be the API's callback URL, ending in \/auth\/oidc\/callback/,
    );
    expect(() => load({ ...FOUR, OT_OIDC_REDIRECT_URL: 'https://ot.example/auth/oidc/callback?x=1' })).toThrow(/OT_OIDC_REDIRECT_URL/);
    // Behind a proxy that puts a prefix before the API's paths.
    expect(load({ ...FOUR, OT_OIDC_REDIRECT_URL: 'https://county.example/ot/auth/oidc/callback' }).oidc?.redirectUrl).toBe(
      'https://county.example/ot/auth/oidc/callback',
    );
    expect(() => load({ ...FOUR, OT_OIDC_SCOPES: 'profile email' })).toThrow('OT_OIDC_SCOPES must include openid');
    expect(() => load({ ...FOUR, OT_OIDC_ROLES_CLAIM: 'roles groups' })).toThrow(/OT_OIDC_ROLES_CLAIM must be one claim name/);
  });
});

describe('sign-in helpers', () => {
  it('takes returnTo as a path on this site only', () => {
    expect(sameSitePath(undefined)).toBe('/');
    expect(sameSitePath('')).toBe('/');
    expect(sameSitePath('/cases?unit=12250#top')).toBe('/cases?unit=12250#top');
    expect(sameSitePath('/a/../cases')).toBe('/cases');
    for (const bad of ['//evil.example', '/\\evil.example', '/\t/evil.example', 'https://evil.example/', 'cases', ['/a', '/b'], 42]) {
      expect(() => sameSitePath(bad)).toThrow('returnTo must be a path on this site, such as /cases');
    }
  });

  it('reads a claim as a list: an array, or a string separated by spaces or commas; anything else is none', () => {
    expect(claimList(['caseworker', 'operator', 'caseworker'])).toEqual(['caseworker', 'operator']);
    expect(claimList('12250, 12260 12270,,')).toEqual(['12250', '12260', '12270']);
    expect(claimList([12250, ' 12260 ', null, { unit: 1 }])).toEqual(['12250', '12260']);
    expect(claimList(undefined)).toEqual([]);
    expect(claimList({ roles: ['x'] })).toEqual([]);
  });
});
