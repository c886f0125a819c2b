import type { TenantId } from './tenant-id.js';

export interface BatchLimits {
  /** Items written in one transaction at most. */
  groupSize: number;
  /** Groups being written at once (each holds one pooled connection). */
  inFlight: number;
}

/**
 * One item per key per group, and a key never in two groups in flight (no row-lock waits between
 * groups). Items are grouped by partition: the tenant, by default.
 */
export interface BatchItem {
  key: string;
}

/**
 * Writes a group; returns each item's result in order, and perhaps work to run once the group's
 * callers have their results (and before its slot is freed). Throwing rejects every item of the group.
 */
export type WriteGroup<T, R, P = TenantId> = (partition: P, items: T[]) => Promise<{ results: R[]; afterwards?: () => Promise<void> }>;

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit, per partition (a tenant, or a LINE channel): the items that arrive while earlier
 * groups are being written go together in the next group. Nothing waits for a timer: with nothing
 * in flight an item is written at once, alone; under load the groups grow. Partitions take turns,
 * so one tenant's flood does not hold another's items back.
 */
export class GroupCommitQueue<T extends BatchItem, R, P = TenantId> {
  private readonly waiting = new Map<P, Waiting<T, R>[]>();
  /** Keys with an item in a group being written. */
  private readonly writing = new Set<string>();
  private inFlight = 0;
  private pumpScheduled = false;

  constructor(
    private readonly writeGroup: WriteGroup<T, R, P>,
    private limits: BatchLimits,
    private readonly partitionOf: (item: T) => P,
  ) {}

  configure(limits: Partial<BatchLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      const partition = this.partitionOf(item);
      const queue = this.waiting.get(partition);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(partition, [{ item, resolve, reject }]);
      // The items parsed in this turn of the event loop join the same group.
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    for (const partition of [...this.waiting.keys()]) {
      if (this.inFlight >= this.limits.inFlight) return;
      const queue = this.waiting.get(partition)!;
      const group = this.take(queue);
      this.waiting.delete(partition);
      if (queue.length) this.waiting.set(partition, queue);
      if (group.length === 0) continue;
      this.inFlight++;
      void this.write(partition, group).then(() => {
        this.inFlight--;
        for (const waiting of group) this.writing.delete(waiting.item.key);
        this.pump();
      });
    }
  }

  /** The next group: oldest first, one item per key, none whose key is being written. */
  private take(queue: Waiting<T, R>[]): Waiting<T, R>[] {
    const group: Waiting<T, R>[] = [];
    const later: Waiting<T, R>[] = [];
    const taken = new Set<string>();
    for (const waiting of queue) {
      const { key } = waiting.item;
      if (group.length < this.limits.groupSize && !this.writing.has(key) && !taken.has(key)) {
        group.push(waiting);
        taken.add(key);
      } else {
        later.push(waiting);
      }
    }
    queue.splice(0, queue.length, ...later);
    for (const waiting of group) this.writing.add(waiting.item.key);
    return group;
  }

  /** Never rejects: every item of the group is settled, with its result or the group's error. */
  private async write(partition: P, group: Waiting<T, R>[]): Promise<void> {
    let written: Awaited<ReturnType<WriteGroup<T, R, P>>>;
    try {
      written = await this.writeGroup(
        partition,
        group.map((waiting) => waiting.item),
      );
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    group.forEach((waiting, i) => waiting.resolve(written.results[i]!));
    // Best effort after the results are out (telling the tallies): its failure loses no item.
    await written.afterwards?.().catch(() => undefined);
  }
}
