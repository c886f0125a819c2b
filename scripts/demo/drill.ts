import { randomUUID } from 'node:crypto';
import { AnswerTokenSigner } from '#anpi/alerts';
import type { AppConfig } from '#anpi/config';
import { PrismaService, TenantDb, asTenantId } from '#anpi/db';

export interface DrillResult {
  broadcastId: string;
  recipients: number;
  counts: Record<string, Record<string, number>>;
  links: { name: string; url: string }[];
  tally: DemoTally;
}

export interface DemoTally {
  total: { targeted: number; answered: number; opened: number; answerRate: number; questions: Record<string, Record<string, number>> };
  departments: { name: string; depth: number; targeted: number; answered: number }[];
}

const ANSWERS = [
  { 'q.self': 'safe', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes', message: '自宅にいます。' },
  { 'q.self': 'minor_injury', 'q.family': 'all_safe', 'q.home': 'partial', 'q.work': 'undecided', message: '' },
  { 'q.self': 'safe', 'q.family': 'unknown', 'q.home': 'no_damage', 'q.work': 'no', message: '家族と連絡が取れていません。' },
];

/** Launches a drill (preset:drill) to the whole demo company as its admin, and waits for the fan-out. */
export async function runDrill(config: AppConfig, api: string, accessToken: string, tenantId: string): Promise<DrillResult> {
  const headers = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': `demo-drill-${randomUUID()}` };
  const launch = await fetch(`${api}/v1/broadcasts`, { method: 'POST', headers, body: JSON.stringify({ templateId: 'preset:drill', targets: { all: true } }) });
  if (launch.status !== 202) throw new Error(`launching the drill answered ${launch.status}: ${await launch.text()}`);
  const { id } = (await launch.json()) as { id: string };
  const deadline = Date.now() + 60_000;
  let broadcast: { status: string; recipientCount: number; counts: Record<string, Record<string, number>> };
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    broadcast = (await (await fetch(`${api}/v1/broadcasts/${id}`, { headers })).json()) as typeof broadcast;
    if (Date.now() > deadline) throw new Error(`the drill did not finish within 60 s: ${JSON.stringify(broadcast)}`);
  } while (broadcast.status !== 'completed');
  const links = await answerLinks(config, tenantId, id, 3);
  // Answer the first three links as the employees would, through the answer page itself.
  for (const [i, link] of links.entries()) {
    const form = await (await fetch(link.url)).text();
    const k = /name="k" value="([^"]+)"/.exec(form)?.[1] ?? randomUUID();
    const res = await fetch(link.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...ANSWERS[i]!, k }),
    });
    if (res.status !== 200) throw new Error(`answering ${link.name}'s link answered ${res.status}`);
  }
  let tally: DemoTally;
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    tally = (await (await fetch(`${api}/v1/broadcasts/${id}/tally`, { headers })).json()) as DemoTally;
    if (Date.now() > deadline) throw new Error('the tally did not show the answers within 60 s');
  } while (tally.total.answered < links.length);
  return { broadcastId: id, recipients: broadcast.recipientCount, counts: broadcast.counts, links, tally };
}

/** A few recipients' personal answer links, signed as the worker signs them. */
async function answerLinks(config: AppConfig, tenantId: string, broadcastId: string, count: number): Promise<{ name: string; url: string }[]> {
  const prisma = new PrismaService(config);
  try {
    const tenant = asTenantId(tenantId);
    const signer = new AnswerTokenSigner(config);
    const { recipients, broadcast } = await new TenantDb(prisma).run(tenant, async (tx) => ({
      broadcast: await tx.broadcast.findFirstOrThrow({ where: { id: broadcastId, tenantId: tenant } }),
      recipients: await tx.recipient.findMany({ where: { broadcastId, tenantId: tenant }, orderBy: { seq: 'asc' }, take: count }),
    }));
    return recipients.map((r) => ({
      name: r.name,
      url: `${config.publicBaseUrl}/a/${signer.sign({ broadcastId, recipientId: r.id, expiresAt: broadcast.answerExpiresAt })}`,
    }));
  } finally {
    await prisma.$disconnect();
  }
}
