import { Alert, Button, Heading, Paragraph, Select, Textfield } from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, post } from '../../api';
import { Failure } from '../../components/query-state';
import { formatNumber } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import type { CallMove, StaffChangeAnswer, UnitInfo } from '../../../../../schemas/api/calls';
import { SelectField } from '../cases/fields';
import { unitsKey } from './types';

const TEXT: Texts<{
  heading: string;
  intro: string;
  nobody: string;
  remove: (name: string) => string;
  confirmRemove: (name: string) => string;
  add: string;
  addName: string;
  added: (name: string) => string;
  removed: (name: string, moved: string) => string;
  changeFailed: string;
  moveAll: string;
  moveAllIntro: string;
  from: string;
  to: string;
  choose: string;
  moveAllButton: string;
  moveOne: string;
  moveOneButton: string;
  moved: (n: string) => string;
  moveFailed: string;
}> = {
  nn: {
    heading: 'Ringjarane i eininga',
    intro: 'Dei som deler ringjelistene til eininga. Går nokon ut, blir berre dei opne samtalane deira fordelte rettvist på dei andre.',
    nobody: 'Ingen deler ringjelistene no.',
    remove: (name) => `Ta ut ${name}`,
    confirmRemove: (name) => `Ta ${name} ut av eininga? Dei opne samtalane blir fordelte på dei andre.`,
    add: 'Legg til ringjar',
    addName: 'Namn',
    added: (name) => `${name} deler ringjelistene frå no av.`,
    removed: (name, moved) => `${name} er teken ut. ${moved} samtalar vart fordelte på nytt.`,
    changeFailed: 'Endringa vart ikkje gjord',
    moveAll: 'Flytt alle samtalane til ein person',
    moveAllIntro: 'Alle dei opne samtalane til ein ringjar går til ein annan i eininga.',
    from: 'Frå',
    to: 'Til',
    choose: 'Vel …',
    moveAllButton: 'Flytt samtalane',
    moveOne: 'Flytt samtalen til',
    moveOneButton: 'Flytt',
    moved: (n) => `${n} samtalar er flytte.`,
    moveFailed: 'Samtalane vart ikkje flytte',
  },
  nb: {
    heading: 'Ringerne i enheten',
    intro: 'De som deler enhetens ringelister. Går noen ut, blir bare deres åpne samtaler fordelt rettferdig på de andre.',
    nobody: 'Ingen deler ringelistene nå.',
    remove: (name) => `Ta ut ${name}`,
    confirmRemove: (name) => `Ta ${name} ut av enheten? De åpne samtalene blir fordelt på de andre.`,
    add: 'Legg til ringer',
    addName: 'Navn',
    added: (name) => `${name} deler ringelistene fra nå av.`,
    removed: (name, moved) => `${name} er tatt ut. ${moved} samtaler ble fordelt på nytt.`,
    changeFailed: 'Endringen ble ikke gjort',
    moveAll: 'Flytt alle samtalene til en person',
    moveAllIntro: 'Alle de åpne samtalene til en ringer går til en annen i enheten.',
    from: 'Fra',
    to: 'Til',
    choose: 'Velg …',
    moveAllButton: 'Flytt samtalene',
    moveOne: 'Flytt samtalen til',
    moveOneButton: 'Flytt',
    moved: (n) => `${n} samtaler er flyttet.`,
    moveFailed: 'Samtalene ble ikke flyttet',
  },
};

/** After a staff change or a move: the unit's staff and its call lists are read again. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: unitsKey }), queryClient.invalidateQueries({ queryKey: ['calls'] })]);
}

/**
 * The unit's staff as `ot staff list|add|remove` keeps them, for those who may change them (staff.change): add someone,
 * take someone out (their open calls only are re-shared), and with calls.reassign move all of one person's calls.
 */
export function UnitStaff({
  unit,
  schoolYear,
  mayChange,
  mayReassign,
}: {
  unit: UnitInfo;
  schoolYear: number;
  mayChange: boolean;
  mayReassign: boolean;
}) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const refresh = useRefresh();
  const [name, setName] = useState('');
  const [done, setDone] = useState<string>();
  const change = useMutation({
    mutationFn: ({ kind, name }: { kind: 'add' | 'remove'; name: string }) =>
      post<StaffChangeAnswer>(`/units/${unit.code}/staff${kind === 'remove' ? '/remove' : ''}`, { name }),
    onMutate: () => setDone(undefined),
    onSuccess: async (answer, { kind, name }) => {
      if (kind === 'add') setName('');
      setDone(kind === 'add' ? t.added(name) : t.removed(name, formatNumber(answer.moved.length, lang)));
      await refresh();
    },
  });
  const addReason = change.error instanceof ApiError ? change.error.fieldReasons().name : undefined;
  const add = (e: FormEvent) => {
    e.preventDefault();
    change.mutate({ kind: 'add', name: name.trim() });
  };
  return (
    <section className="ot-stack" aria-labelledby="ot-unit-staff">
      <Heading level={3} data-size="sm" id="ot-unit-staff">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      {done && (
        <Alert data-color="success" role="status">
          <Paragraph>{done}</Paragraph>
        </Alert>
      )}
      {unit.staff.length === 0 ? (
        <Paragraph>{t.nobody}</Paragraph>
      ) : (
        <ul className="ot-staff" aria-labelledby="ot-unit-staff">
          {unit.staff.map((s) => (
            <li key={s} className="ot-row">
              <span>{s}</span>
              {mayChange && (
                <Button
                  type="button"
                  variant="tertiary"
                  data-size="sm"
                  onClick={() => {
                    if (window.confirm(t.confirmRemove(s))) change.mutate({ kind: 'remove', name: s });
                  }}
                >
                  {t.remove(s)}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayChange && (
        <form onSubmit={add} className="ot-row" noValidate aria-label={t.add}>
          <Textfield label={t.addName} name="name" value={name} onChange={(e) => setName(e.target.value)} error={addReason} />
          <div>
            <Button type="submit" variant="secondary" loading={change.isPending && change.variables?.kind === 'add'}>
              {t.add}
            </Button>
          </div>
        </form>
      )}
      {change.error && !addReason && <Failure error={change.error} what={t.changeFailed} />}
      {mayReassign && unit.staff.length > 0 && <MoveAll unit={unit} schoolYear={schoolYear} />}
    </section>
  );
}

/** `ot calls reassign --from A --to B`: every open call of one person to another of the unit's staff. */
function MoveAll({ unit, schoolYear }: { unit: UnitInfo; schoolYear: number }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const refresh = useRefresh();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const move = useMutation({
    mutationFn: () => post<{ moved: CallMove[] }>('/calls/reassign', { schoolYear, unit: unit.code, from, to }),
    onSuccess: async () => {
      await refresh();
    },
  });
  const reasons = move.error instanceof ApiError ? move.error.fieldReasons() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate();
  };
  return (
    <form onSubmit={submit} className="ot-stack ot-narrow" noValidate aria-label={t.moveAll}>
      <Heading level={4} data-size="xs">
        {t.moveAll}
      </Heading>
      <Paragraph>{t.moveAllIntro}</Paragraph>
      <div className="ot-row">
        <SelectField label={t.from} name="from" value={from} onChange={setFrom} error={reasons.from}>
          <Select.Option value="">{t.choose}</Select.Option>
          {unit.staff.map((s) => (
            <Select.Option key={s} value={s}>
              {s}
            </Select.Option>
          ))}
        </SelectField>
        <SelectField label={t.to} name="to" value={to} onChange={setTo} error={reasons.to}>
          <Select.Option value="">{t.choose}</Select.Option>
          {unit.staff.map((s) => (
            <Select.Option key={s} value={s}>
              {s}
            </Select.Option>
          ))}
        </SelectField>
      </div>
      {move.isSuccess && (
        <Alert data-color="success" role="status">
          <Paragraph>{t.moved(formatNumber(move.data.moved.length, lang))}</Paragraph>
        </Alert>
      )}
      {move.error && !reasons.from && !reasons.to && <Failure error={move.error} what={t.moveFailed} />}
      <div>
        <Button type="submit" variant="secondary" loading={move.isPending}>
          {t.moveAllButton}
        </Button>
      </div>
    </form>
  );
}

/** `ot calls reassign CASEID --to B`: one case's open call to another of the unit's staff. */
export function MoveCall({
  caseId,
  name,
  current,
  staff,
  schoolYear,
}: {
  caseId: string;
  name: string;
  current?: string;
  staff: string[];
  schoolYear: number;
}) {
  const t = useText(TEXT);
  const refresh = useRefresh();
  const others = staff.filter((s) => s !== current);
  const [to, setTo] = useState('');
  const move = useMutation({
    mutationFn: () => post<{ moved: CallMove[] }>(`/calls/${caseId}/reassign`, { schoolYear, to }),
    onSuccess: async () => {
      setTo('');
      await refresh();
    },
  });
  if (others.length === 0) return null;
  const reason = move.error instanceof ApiError ? move.error.fieldReasons().to : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate();
  };
  return (
    <form onSubmit={submit} className="ot-row ot-call__move" noValidate aria-label={`${t.moveOne} (${name})`}>
      <SelectField label={t.moveOne} name="to" value={to} onChange={setTo} error={reason}>
        <Select.Option value="">{t.choose}</Select.Option>
        {others.map((s) => (
          <Select.Option key={s} value={s}>
            {s}
          </Select.Option>
        ))}
      </SelectField>
      <div>
        <Button type="submit" variant="tertiary" data-size="sm" loading={move.isPending}>
          {t.moveOneButton}
        </Button>
      </div>
      {move.error && !reason && <Failure error={move.error} what={t.moveFailed} />}
    </form>
  );
}
