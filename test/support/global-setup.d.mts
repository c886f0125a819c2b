import type pg from 'pg';

export function ownerUrl(database: string): string;
export function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>;
export default function globalSetup(): Promise<void>;
