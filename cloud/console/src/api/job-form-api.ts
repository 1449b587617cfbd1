import { api, query } from './client';

/** What the job and batch forms read: agents with their readers, encodings and their fields. */
export interface AgentOption {
  id: string;
  office: string;
  state: 'PENDING' | 'ACTIVE' | 'REVOKED';
  presence?: {
    status: 'online' | 'offline';
    readers: { name: string; cardPresent: boolean; atr: string | null; cardNames: string[] }[];
  };
}

/** A job field of an encoding version, with its rules (JobField, shared/src/encoding/job-field-rules.ts). */
export interface JobFieldSpec {
  name: string;
  secret: boolean;
  required: boolean;
  format: 'hex' | 'base64' | 'decimal' | 'date' | 'boolean' | 'text';
  bytes?: number;
  minBytes?: number;
  maxBytes?: number;
  /** Anchored JavaScript regular expression source. */
  pattern: string;
  uses: string[];
  description: string;
}

export interface EncodingVersionView {
  id: string;
  version: number;
  applications: { name: string; kind: string }[];
  secretFields: string[];
  /** The job fields the version takes, with their rules (docs/encoding-format.md, "Job fields"). */
  fields: JobFieldSpec[];
}

/** Agents the caller may start jobs on: ACTIVE ones (the API already scopes operators to their office). */
export const listUsableAgents = async () =>
  (await api.get<{ items: AgentOption[] }>('/v1/agents')).items.filter((a) => a.state === 'ACTIVE');

export const listEncodings = async () =>
  (await api.get<{ items: { id: string; latestVersion: number }[] }>('/v1/encodings')).items;

/** The versions the office may run (docs/releases.md); operators ask for their own office. */
export const runnableVersions = async (encodingId: string, office: string) =>
  (
    await api.get<{ versions: number[] }>(
      `/v1/encodings/${encodeURIComponent(encodingId)}/runnable${query({ office })}`,
    )
  ).versions;

export const encodingVersion = (encodingId: string, version: number) =>
  api.get<EncodingVersionView>(`/v1/encodings/${encodeURIComponent(encodingId)}/versions/${version}`);
