import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../../schemas/config';
import { WORKFLOW_TYPES, type WorkflowTypeName } from '../../workflows/contracts/workflow-types';
import type { WorkflowSignatures } from '../../workflows/contracts/workflow-types';

type Signature<N extends WorkflowTypeName> = WorkflowSignatures[N];

/**
 * Runs a workflow by its deterministic id and waits for its result. Asked again while it runs (a retried
 * request, a second operator), it joins that run instead of starting a second one.
 */
export async function executeOrJoin<N extends WorkflowTypeName>(
  deps: { client: Client; config: Config },
  type: N,
  workflowId: string,
  args: Parameters<Signature<N>>,
): Promise<Awaited<ReturnType<Signature<N>>>> {
  type W = Signature<N>;
  try {
    return (await deps.client.workflow.execute<W>(WORKFLOW_TYPES[type], { workflowId, taskQueue: deps.config.taskQueue, args } as never)) as Awaited<
      ReturnType<W>
    >;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return (await deps.client.workflow.getHandle<W>(workflowId).result()) as Awaited<ReturnType<W>>;
  }
}
