import type { TenantId } from './tenant-id.js';
import { GroupCommitQueue } from './group-commit-queue.js';

const T1 = 't1' as TenantId;
const T2 = 't2' as TenantId;

describe('GroupCommitQueue', () => {
  function recorder(fail?: (items: { key: string }[]) => Error | undefined) {
    const groups: { tenantId: TenantId; keys: string[] }[] = [];
    const afterwards: string[][] = [];
    let release: () => void = () => undefined;
    let hold: Promise<void> | null = null;
    const batches = new GroupCommitQueue<{ tenantId: TenantId; key: string }, string>(
      async (tenantId, items) => {
        groups.push({ tenantId, keys: items.map((i) => i.key) });
        if (hold) await hold;
        const error = fail?.(items);
        if (error) throw error;
        return { results: items.map((i) => `${tenantId}:${i.key}`), afterwards: async () => void afterwards.push(items.map((i) => i.key)) };
      },
      { groupSize: 3, inFlight: 1 },
      (item) => item.tenantId,
    );
    return {
      batches,
      groups,
      afterwards,
      holdNext() {
        hold = new Promise((resolve) => (release = () => ((hold = null), resolve())));
      },
      release: () => release(),
    };
  }

  it('writes what arrives in one turn as one group, each item getting its own result in order', async () => {
    const r = recorder();
    const results = await Promise.all(['a', 'b', 'c'].map((key) => r.batches.submit({ tenantId: T1, key })));
    expect(results).toEqual(['t1:a', 't1:b', 't1:c']);
    expect(r.groups).toEqual([{ tenantId: T1, keys: ['a', 'b', 'c'] }]);
    expect(r.afterwards).toEqual([['a', 'b', 'c']]);
  });

  it('caps a group at its size, puts a repeated key in a later group, and lets tenants take turns', async () => {
    const r = recorder();
    r.holdNext();
    const first = r.batches.submit({ tenantId: T1, key: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    // While the first group is held: four of tenant 1 (one a repeat of x, in flight) and one of tenant 2.
    const rest = Promise.all([...['x', 'a', 'b', 'c'].map((key) => r.batches.submit({ tenantId: T1, key })), r.batches.submit({ tenantId: T2, key: 'z' })]);
    await new Promise((resolve) => setImmediate(resolve));
    r.release();
    await Promise.all([first, rest]);
    expect(r.groups).toEqual([
      { tenantId: T1, keys: ['x'] },
      { tenantId: T1, keys: ['x', 'a', 'b'] },
      { tenantId: T2, keys: ['z'] },
      { tenantId: T1, keys: ['c'] },
    ]);
  });

  it('rejects every item of a group that fails as a whole, and goes on with the next group', async () => {
    const boom = new Error('statement failed');
    const r = recorder((items) => (items.some((i) => i.key === 'bad') ? boom : undefined));
    const failed = await Promise.allSettled(['bad', 'good'].map((key) => r.batches.submit({ tenantId: T1, key })));
    expect(failed).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    expect(r.afterwards).toEqual([]);
    await expect(r.batches.submit({ tenantId: T1, key: 'good' })).resolves.toBe('t1:good');
  });
});
