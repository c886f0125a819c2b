import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface FeedEntry {
  id: string;
  title: string;
  updated: string;
  /** The telegram's XML. */
  href: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (n) => n === 'entry' || n === 'link',
});

/** The entries of one of JMA's Atom feeds; throws on a document that is not an Atom feed. */
export function parseAtomFeed(xml: string): FeedEntry[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`the feed is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const feed = (parser.parse(xml) as { feed?: { entry?: Record<string, unknown>[] } }).feed;
  if (!feed) throw new Error('the document is not an Atom feed');
  return (feed.entry ?? []).flatMap((entry) => {
    const links = (entry.link as { '@href'?: string; '@type'?: string }[] | undefined) ?? [];
    const href = links.find((l) => !l['@type'] || l['@type'].includes('xml'))?.['@href'];
    const id = typeof entry.id === 'string' ? entry.id.trim() : '';
    if (!href || !id) return [];
    return [{ id, title: String(entry.title ?? ''), updated: String(entry.updated ?? ''), href }];
  });
}

/** The telegram type JMA puts in each data file's name (…_0_VXSE51_010000.xml), if any. */
export function kindOfLink(href: string): string | null {
  return /_(V[A-Z]{3}\d{2})_/.exec(href)?.[1] ?? null;
}
