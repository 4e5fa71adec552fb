/**
 * The sandbox evaluates a workflow's modules once for each workflow it runs, so what the workflows import at load is
 * paid by every new case's first workflow task. zod was half of that cost: the workflows load it only when a calendar
 * is signalled (workflows/calendar-change.ts). This holds them to it: loading them must not load zod.
 */
it('loads the workflows without zod', () => {
  jest.isolateModules(() => {
    jest.doMock('zod', () => {
      throw new Error('a workflow module imports zod as it loads');
    });
    expect(() => require('../../workflows')).not.toThrow();
    jest.dontMock('zod');
  });
});

it('loads zod for the calendar check, which the case workflow requires when a calendar comes', () => {
  jest.isolateModules(() => {
    jest.doMock('zod', () => {
      throw new Error('zod loaded');
    });
    expect(() => require('../../workflows/calendar-change')).toThrow('zod loaded');
    jest.dontMock('zod');
  });
});
