import { CardfleetError, type JobField, jobFieldProblems, type Presence } from '@cardfleet/shared';

/**
 * What the cloud checks of a job request before it exists (docs/api.md, `POST /v1/jobs`):
 * its fields against the version's job fields, and that a dry run has a card to run on.
 */

/**
 * The first problem of the job's fields as a typed error naming the field
 * (JOB_FIELD_MISSING, JOB_FIELD_MALFORMED), every problem in its details. Never a value:
 * a field may be secret (docs/security.md, Invariants).
 */
export function assertJobFields(fields: readonly JobField[], values: Readonly<Record<string, string>>): void {
  const problems = jobFieldProblems(fields, values);
  const [first] = problems;
  if (!first) return;
  throw new CardfleetError(first.code, first.message, {
    details: {
      field: first.field,
      problems: problems.map(({ field, code, message }) => ({ field, code, message })),
    },
  });
}

/**
 * A dry run is sent only to an agent whose presence announces its dry-run card: an agent
 * from before dry runs would drop the signed flag it does not know and run the job on
 * its reader (docs/security.md, "Dry runs").
 */
export function assertDryRunCard(agent: { id: string; presence?: Presence }): void {
  if (agent.presence?.dryRunCard === true) return;
  throw new CardfleetError(
    'DRY_RUN_UNAVAILABLE',
    `agent ${agent.id} has not announced a dry-run card (setting "dryRunCard"); a dry run never runs on a reader`,
    { details: { agentId: agent.id } },
  );
}
