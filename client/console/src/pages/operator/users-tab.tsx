import { Alert, Button, Heading, Paragraph, Table, Tag, Textfield } from '@digdir/designsystemet-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UserView, UserWithPassword } from '../../../../../schemas/api/admin';
import { COUNTY_WIDE_ROLES, ROLES, type Role } from '../../../../../schemas/roles';
import { ApiError, get, post } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMe } from '../../session';
import { ROLE_NAMES } from '../../words';
import { reasonsOf, SelectField } from './common';

const USERS_KEY = ['users'] as const;

const TEXT: Texts<{
  heading: string;
  intro: string;
  listFailed: string;
  caption: string;
  username: string;
  usernameHelp: string;
  name: string;
  role: string;
  units: string;
  unitsHelp: string;
  allUnits: string;
  state: string;
  active: string;
  disabled: string;
  locked: string;
  oidc: string;
  actions: string;
  disable: (name: string) => string;
  reset: (name: string) => string;
  actionFailed: string;
  newPassword: (username: string) => string;
  newHeading: string;
  password: string;
  passwordHelp: string;
  create: string;
  createFailed: string;
  created: (username: string) => string;
  passOn: string;
}> = {
  nn: {
    heading: 'Brukarar',
    intro: 'Lokale kontoar, rollene deira og einingane dei gjeld. Ei rolle med einingar ser berre sakene i einingane sine.',
    listFailed: 'Kunne ikkje hente brukarane',
    caption: 'Alle kontoar',
    username: 'Brukarnamn',
    usernameHelp: 'Små bokstavar a–z, tal, punktum, bindestrek eller understrek.',
    name: 'Namn',
    role: 'Rolle',
    units: 'Einingar',
    unitsHelp: 'Einingskodane, skilde med komma, til dømes 12250, 12256. Tomt for roller som gjeld heile fylket.',
    allUnits: 'heile fylket',
    state: 'Tilstand',
    active: 'aktiv',
    disabled: 'sperra',
    locked: 'låst ei stund',
    oidc: 'fylkeskommunen si innlogging',
    actions: 'Handlingar',
    disable: (name) => `Sperr ${name}`,
    reset: (name) => `Nytt passord til ${name}`,
    actionFailed: 'Det gjekk ikkje',
    newPassword: (username) => `Nytt passord til ${username} (blir berre vist no):`,
    newHeading: 'Ny brukar',
    password: 'Passord',
    passwordHelp: 'Minst 12 teikn. Tomt: systemet lagar eit sterkt passord og viser det éin gong.',
    create: 'Opprett brukaren',
    createFailed: 'Brukaren vart ikkje oppretta',
    created: (username) => `${username} er oppretta.`,
    passOn: 'Passordet (blir berre vist no, gje det vidare på ein trygg måte):',
  },
  nb: {
    heading: 'Brukere',
    intro: 'Lokale kontoer, rollene deres og enhetene de gjelder. En rolle med enheter ser bare sakene i sine enheter.',
    listFailed: 'Kunne ikke hente brukerne',
    caption: 'Alle kontoer',
    username: 'Brukernavn',
    usernameHelp: 'Små bokstaver a–z, tall, punktum, bindestrek eller understrek.',
    name: 'Navn',
    role: 'Rolle',
    units: 'Enheter',
    unitsHelp: 'Enhetskodene, skilt med komma, for eksempel 12250, 12256. Tomt for roller som gjelder hele fylket.',
    allUnits: 'hele fylket',
    state: 'Tilstand',
    active: 'aktiv',
    disabled: 'sperret',
    locked: 'låst en stund',
    oidc: 'fylkeskommunens innlogging',
    actions: 'Handlinger',
    disable: (name) => `Sperr ${name}`,
    reset: (name) => `Nytt passord til ${name}`,
    actionFailed: 'Det mislyktes',
    newPassword: (username) => `Nytt passord til ${username} (vises bare nå):`,
    newHeading: 'Ny bruker',
    password: 'Passord',
    passwordHelp: 'Minst 12 tegn. Tomt: systemet lager et sterkt passord og viser det én gang.',
    create: 'Opprett brukeren',
    createFailed: 'Brukeren ble ikke opprettet',
    created: (username) => `${username} er opprettet.`,
    passOn: 'Passordet (vises bare nå, gi det videre på en trygg måte):',
  },
};

/** The operator's users: every account with its role, units and state; disable one, give one a new password, make a new one. */
export function UsersTab() {
  const t = useText(TEXT);
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => get<UserView[]>('/users') });
  return (
    <section className="ot-stack" aria-labelledby="users-heading">
      <Heading level={3} data-size="sm" id="users-heading">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <NewUser />
      {users.isPending && <Loading />}
      {users.isError && <Failure error={users.error} what={t.listFailed} />}
      {users.data && <UserTable users={users.data} />}
    </section>
  );
}

function UserTable({ users }: { users: UserView[] }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const me = useMe();
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<{ username: string; password: string }>();
  const disable = useMutation({
    mutationFn: (username: string) => post<UserView>(`/users/${encodeURIComponent(username)}/disable`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
  const reset = useMutation({
    mutationFn: (username: string) => post<UserWithPassword>(`/users/${encodeURIComponent(username)}/reset-password`, {}),
    onSuccess: (answer) => answer.password && setShown({ username: answer.user.username, password: answer.password }),
  });
  const failure = disable.error ?? reset.error;
  return (
    <div className="ot-stack">
      {failure && <Failure error={failure} what={t.actionFailed} />}
      {shown && (
        <Alert data-color="info" role="status">
          <Paragraph>{t.newPassword(shown.username)}</Paragraph>
          <Paragraph>
            <code className="ot-secret">{shown.password}</code>
          </Paragraph>
        </Alert>
      )}
      <div className="ot-table-wrap">
        <Table>
          <caption>{t.caption}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t.username}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.name}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.role}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.units}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.state}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.actions}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {users.map((u) => (
              <Table.Row key={u.id}>
                <Table.Cell>{u.username}</Table.Cell>
                <Table.Cell>{u.displayName}</Table.Cell>
                <Table.Cell>{ROLE_NAMES[lang][u.role]}</Table.Cell>
                <Table.Cell>{u.units.length ? u.units.join(', ') : t.allUnits}</Table.Cell>
                <Table.Cell>
                  <div className="ot-tags">
                    <Tag data-color={u.disabled ? 'danger' : 'success'} data-size="sm">
                      {u.disabled ? t.disabled : t.active}
                    </Tag>
                    {u.locked && (
                      <Tag data-color="warning" data-size="sm">
                        {t.locked}
                      </Tag>
                    )}
                    {u.oidc && (
                      <Tag data-color="neutral" data-size="sm">
                        {t.oidc}
                      </Tag>
                    )}
                  </div>
                </Table.Cell>
                <Table.Cell>
                  <div className="ot-row ot-row--tight">
                    {!u.disabled && u.id !== me.userId && (
                      <Button
                        variant="tertiary"
                        data-size="sm"
                        onClick={() => {
                          reset.reset();
                          disable.mutate(u.username);
                        }}
                        loading={disable.isPending && disable.variables === u.username}
                      >
                        {t.disable(u.username)}
                      </Button>
                    )}
                    {!u.disabled && !u.oidc && (
                      <Button
                        variant="tertiary"
                        data-size="sm"
                        onClick={() => {
                          disable.reset();
                          reset.mutate(u.username);
                        }}
                        loading={reset.isPending && reset.variables === u.username}
                      >
                        {t.reset(u.username)}
                      </Button>
                    )}
                  </div>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </div>
  );
}

const USER_FIELDS = ['username', 'displayName', 'role', 'units', 'password'] as const;

/** The units as typed: codes separated by commas or spaces. */
const unitList = (typed: string) =>
  typed
    .split(/[\s,;]+/)
    .map((u) => u.trim())
    .filter(Boolean);

function NewUser() {
  const t = useText(TEXT);
  const lang = useLanguage();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('caseworker');
  const [units, setUnits] = useState('');
  const [password, setPassword] = useState('');
  const create = useMutation({
    mutationFn: () =>
      post<UserWithPassword>('/users', {
        username: username.trim(),
        displayName,
        role,
        units: unitList(units),
        ...(password ? { password } : {}),
      }),
    onSuccess: () => {
      setUsername('');
      setDisplayName('');
      setUnits('');
      setPassword('');
      return queryClient.invalidateQueries({ queryKey: USERS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  let { by, rest } = reasonsOf(create.error, USER_FIELDS);
  // The reasons that name no field but are about one: a taken user name (409), a password the rules refuse.
  if (rest instanceof ApiError) {
    if (rest.status === 409) ({ by, rest } = { by: { username: rest.message }, rest: undefined });
    else if (rest.status === 400 && /password/.test(rest.message)) ({ by, rest } = { by: { password: rest.message }, rest: undefined });
  }
  const countyWide = COUNTY_WIDE_ROLES.includes(role);
  return (
    <form onSubmit={submit} className="ot-stack ot-form" aria-labelledby="new-user-heading" noValidate>
      <Heading level={4} data-size="xs" id="new-user-heading">
        {t.newHeading}
      </Heading>
      {create.data && (
        <Alert data-color="success" role="status">
          <Paragraph>{t.created(create.data.user.username)}</Paragraph>
          {create.data.password && (
            <>
              <Paragraph>{t.passOn}</Paragraph>
              <Paragraph>
                <code className="ot-secret">{create.data.password}</code>
              </Paragraph>
            </>
          )}
        </Alert>
      )}
      <Textfield
        label={t.username}
        description={t.usernameHelp}
        name="username"
        autoComplete="off"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={by.username}
      />
      <Textfield
        label={t.name}
        name="displayName"
        autoComplete="off"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={by.displayName}
      />
      <SelectField
        label={t.role}
        name="role"
        value={role}
        onChange={(v) => setRole(v as Role)}
        error={by.role}
        options={ROLES.map((r) => ({ value: r, label: ROLE_NAMES[lang][r] }))}
      />
      <Textfield
        label={t.units}
        description={countyWide ? `${t.unitsHelp} (${ROLE_NAMES[lang][role]}: ${t.allUnits})` : t.unitsHelp}
        name="units"
        autoComplete="off"
        value={units}
        onChange={(e) => setUnits(e.target.value)}
        error={by.units}
      />
      <Textfield
        label={t.password}
        description={t.passwordHelp}
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={by.password}
      />
      {rest && <Failure error={rest} what={t.createFailed} />}
      <div>
        <Button type="submit" loading={create.isPending}>
          {t.create}
        </Button>
      </div>
    </form>
  );
}
